import { zodResolver } from "@hookform/resolvers/zod";
import { HandshakeIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { PlanLimits, StaffSubscription } from "@/api/types";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { LimitsFieldset } from "@/features/billing/limit-input";
import { termsFormSchema, termsToForm, toTermsInput, type TermsFormValues } from "@/features/billing/terms-form";
import { useSetTerms } from "@/features/billing/use-billing";

type TermsDialogProps = {
  subscription: StaffSubscription;
  /** The limits of the plan it is on, to start from when it has no terms of its own yet. */
  planLimits: PlanLimits | null;
};

/** The Owner sets one advertiser's own price and limits (the "contact us" plan's per-advertiser terms). */
export function TermsDialog({ subscription, planLimits }: TermsDialogProps) {
  const { t } = useTranslation();
  const setTerms = useSetTerms();
  const [open, setOpen] = useState(false);
  const defaults = termsToForm(subscription, planLimits);
  const form = useForm<TermsFormValues>({ resolver: zodResolver(termsFormSchema), defaultValues: defaults });
  const { errors } = form.formState;
  const prefix = `terms-${subscription.advertiser_id}`;

  const submit = form.handleSubmit((values) =>
    setTerms.mutate(
      { advertiserId: subscription.advertiser_id, terms: toTermsInput(values) },
      {
        onSuccess: () => {
          toast.success(t("plans.overview.termsSaved", { advertiser: subscription.advertiser_name }));
          setOpen(false);
        },
      },
    ),
  );

  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset(termsToForm(subscription, planLimits));
        setTerms.reset();
      }}
      trigger={
        <Button size="sm" variant="outline" data-testid={`set-terms-${subscription.advertiser_id}`}>
          <HandshakeIcon /> {t("plans.overview.setTerms")}
        </Button>
      }
      title={t("plans.overview.termsTitle", { advertiser: subscription.advertiser_name })}
      description={t("plans.overview.termsText")}
      error={setTerms.error}
      onSubmit={submit}
      pending={setTerms.isPending}
      submitLabel={t("plans.overview.saveTerms")}
      submitTestId="terms-submit"
      testId="terms-dialog"
    >
      <div className="max-h-[65vh] space-y-5 overflow-y-auto pr-1">
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium">{t("plans.overview.termsPrice")}</legend>
          <div className="grid grid-cols-[5rem_1fr_1fr] items-start gap-2">
            <Field id={`${prefix}-currency`} label={t("finance.currency")} error={errors.price?.currency?.message}>
              <Input
                id={`${prefix}-currency`}
                maxLength={3}
                className="uppercase"
                autoComplete="off"
                aria-invalid={!!errors.price?.currency}
                data-testid="terms-currency"
                {...form.register("price.currency")}
              />
            </Field>
            <Field id={`${prefix}-monthly`} label={t("plans.admin.fields.monthly")} error={errors.price?.monthly?.message}>
              <Input
                id={`${prefix}-monthly`}
                inputMode="decimal"
                autoComplete="off"
                aria-invalid={!!errors.price?.monthly}
                data-testid="terms-monthly"
                {...form.register("price.monthly")}
              />
            </Field>
            <Field id={`${prefix}-overage`} label={t("plans.admin.fields.overage")} error={errors.price?.overage?.message}>
              <Input
                id={`${prefix}-overage`}
                inputMode="decimal"
                autoComplete="off"
                placeholder={t("plans.admin.fields.overageNone")}
                aria-invalid={!!errors.price?.overage}
                data-testid="terms-overage"
                {...form.register("price.overage")}
              />
            </Field>
          </div>
        </fieldset>
        <LimitsFieldset prefix={prefix} testId="terms-limit" control={form.control} register={form.register} errors={errors.limits}>
          <Controller
            control={form.control}
            name="white_label"
            render={({ field }) => (
              <label htmlFor={`${prefix}-white-label`} className="flex items-center gap-2 text-sm">
                <Checkbox
                  id={`${prefix}-white-label`}
                  checked={field.value}
                  onCheckedChange={(checked) => field.onChange(checked === true)}
                  data-testid="terms-white-label"
                />
                {t("plans.admin.fields.whiteLabel")}
              </label>
            )}
          />
        </LimitsFieldset>
        <Field id={`${prefix}-note`} label={t("plans.overview.termsNote")} hint={t("plans.overview.termsNoteHint")} error={errors.note?.message}>
          <Textarea id={`${prefix}-note`} rows={2} aria-invalid={!!errors.note} data-testid="terms-note" {...form.register("note")} />
        </Field>
      </div>
    </FormDialog>
  );
}
