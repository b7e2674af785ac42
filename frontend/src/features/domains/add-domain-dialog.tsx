import { zodResolver } from "@hookform/resolvers/zod";
import { PlusIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { DOMAIN_KINDS } from "@/features/domains/domain-kinds";
import { useAddDomain } from "@/features/domains/use-domains";

// The API reads the name (a pasted URL too) and refuses what it cannot serve, saying why.
const schema = z.object({ name: z.string().trim().min(1, "validation.required").max(300, "validation.tooLong"), kind: z.enum(DOMAIN_KINDS) });
type Values = z.infer<typeof schema>;
const defaults: Values = { name: "", kind: "portal" };

/** A new portal or tracking domain; the API answers with the DNS records it needs, or why it refuses it. */
export function AddDomainDialog({ advertiserId }: { advertiserId: string | undefined }) {
  const { t } = useTranslation();
  const add = useAddDomain(advertiserId);
  const [open, setOpen] = useState(false);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: defaults });
  const { errors } = form.formState;
  const kind = useWatch({ control: form.control, name: "kind" });
  const submit = form.handleSubmit((values) =>
    add.mutate(values, {
      onSuccess: () => {
        toast.success(t("domains.added"));
        setOpen(false);
        form.reset(defaults);
        add.reset();
      },
    }),
  );
  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset(defaults);
        add.reset();
      }}
      trigger={
        <Button size="sm" data-testid="domain-add">
          <PlusIcon /> {t("domains.add")}
        </Button>
      }
      title={t("domains.addTitle")}
      description={t("domains.addText")}
      error={add.error}
      onSubmit={submit}
      pending={add.isPending}
      submitLabel={t("domains.add")}
      testId="domain-add-dialog"
    >
      <Field id="domain-name" label={t("domains.name")} error={errors.name?.message}>
        <Input
          id="domain-name"
          placeholder="partners.example.com"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={!!errors.name}
          data-testid="domain-name"
          {...form.register("name")}
        />
      </Field>
      <Field id="domain-kind" label={t("domains.kind")} hint={t(`domains.kindHints.${kind}`)}>
        <Controller
          control={form.control}
          name="kind"
          render={({ field }) => (
            <Select value={field.value} onValueChange={field.onChange}>
              <SelectTrigger id="domain-kind" data-testid="domain-kind">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {DOMAIN_KINDS.map((value) => (
                  <SelectItem key={value} value={value}>
                    {t(`domains.kinds.${value}`)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </Field>
    </FormDialog>
  );
}
