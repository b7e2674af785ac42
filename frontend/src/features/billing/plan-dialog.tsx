import { zodResolver } from "@hookform/resolvers/zod";
import { PlusIcon, Trash2Icon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Controller, useFieldArray, useForm, type Control } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Plan } from "@/api/types";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { emptyPriceRow, planFormSchema, planToForm, toNewPlanInput, toPlanInput, type PlanFormValues } from "@/features/billing/plan-form";
import { LimitsFieldset } from "@/features/billing/limit-input";
import { useSavePlan } from "@/features/billing/use-billing";

type PlanDialogProps = {
  /** The plan edited, or null for a new one. */
  plan: Plan | null;
  /** A new plan's rank to start from: after the highest there is. */
  nextRank: number;
  trigger: ReactNode;
};

/**
 * A plan's name, rank, limits and prices. Saving makes a new version: subscribers keep the version they
 * pay for until their next period, new subscriptions take the new one at once.
 */
export function PlanDialog({ plan, nextRank, trigger }: PlanDialogProps) {
  const { t } = useTranslation();
  const isNew = plan === null;
  const save = useSavePlan(plan?.code ?? null);
  const [open, setOpen] = useState(false);
  const defaults = planToForm(plan, nextRank);
  const form = useForm<PlanFormValues>({ resolver: zodResolver(planFormSchema(isNew)), defaultValues: defaults });
  const prices = useFieldArray({ control: form.control, name: "prices" });
  const { errors } = form.formState;
  const prefix = plan ? `plan-${plan.code}` : "plan-new";

  const submit = form.handleSubmit((values) =>
    save.mutate(isNew ? toNewPlanInput(values) : toPlanInput(values), {
      onSuccess: (saved) => {
        toast.success(t(isNew ? "plans.admin.added" : "plans.admin.saved", { plan: saved.name, version: saved.version }));
        setOpen(false);
        form.reset(planToForm(isNew ? null : saved, nextRank));
        save.reset();
      },
    }),
  );

  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset(defaults);
        save.reset();
      }}
      trigger={trigger}
      title={isNew ? t("plans.admin.addTitle") : t("plans.admin.editTitle", { plan: plan.name })}
      description={isNew ? t("plans.admin.addText") : t("plans.admin.editText", { version: plan.version + 1 })}
      error={save.error}
      onSubmit={submit}
      pending={save.isPending}
      submitLabel={isNew ? t("plans.admin.add") : t("plans.admin.saveVersion")}
      testId="plan-dialog"
    >
      <div className="max-h-[65vh] space-y-5 overflow-y-auto pr-1">
        <div className="grid gap-4 sm:grid-cols-3">
          {isNew ? (
            <Field id={`${prefix}-code`} label={t("plans.admin.fields.code")} hint={t("plans.admin.fields.codeHint")} error={errors.code?.message}>
              <Input
                id={`${prefix}-code`}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={!!errors.code}
                data-testid="plan-code"
                {...form.register("code")}
              />
            </Field>
          ) : null}
          <Field id={`${prefix}-name`} label={t("plans.admin.fields.name")} error={errors.name?.message} className={isNew ? undefined : "sm:col-span-2"}>
            <Input id={`${prefix}-name`} autoComplete="off" aria-invalid={!!errors.name} data-testid="plan-name-input" {...form.register("name")} />
          </Field>
          <Field id={`${prefix}-rank`} label={t("plans.admin.fields.rank")} hint={t("plans.admin.fields.rankHint")} error={errors.rank?.message}>
            <Input
              id={`${prefix}-rank`}
              inputMode="numeric"
              autoComplete="off"
              aria-invalid={!!errors.rank}
              data-testid="plan-rank"
              {...form.register("rank")}
            />
          </Field>
        </div>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          <BoxField control={form.control} name="public" id={`${prefix}-public`} label={t("plans.admin.fields.public")} />
          <BoxField control={form.control} name="contact_us" id={`${prefix}-contact`} label={t("plans.admin.fields.contactUs")} />
          <BoxField control={form.control} name="white_label" id={`${prefix}-white-label`} label={t("plans.admin.fields.whiteLabel")} />
        </div>
        <LimitsFieldset prefix={prefix} testId="plan-limit" control={form.control} register={form.register} errors={errors.limits} />
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium">{t("plans.admin.pricesTitle")}</legend>
          <p className="text-xs text-muted-foreground">{t("plans.admin.pricesText")}</p>
          {prices.fields.map((row, index) => {
            const rowErrors = errors.prices?.[index];
            return (
              <div key={row.id} className="grid grid-cols-[5rem_1fr_1fr_auto] items-start gap-2" data-testid="plan-price-row">
                <Field id={`${prefix}-currency-${index}`} label={t("finance.currency")} error={rowErrors?.currency?.message}>
                  <Input
                    id={`${prefix}-currency-${index}`}
                    maxLength={3}
                    className="uppercase"
                    autoComplete="off"
                    aria-invalid={!!rowErrors?.currency}
                    data-testid="plan-price-currency"
                    {...form.register(`prices.${index}.currency`)}
                  />
                </Field>
                <Field id={`${prefix}-monthly-${index}`} label={t("plans.admin.fields.monthly")} error={rowErrors?.monthly?.message}>
                  <Input
                    id={`${prefix}-monthly-${index}`}
                    inputMode="decimal"
                    autoComplete="off"
                    aria-invalid={!!rowErrors?.monthly}
                    data-testid="plan-price-monthly"
                    {...form.register(`prices.${index}.monthly`)}
                  />
                </Field>
                <Field id={`${prefix}-overage-${index}`} label={t("plans.admin.fields.overage")} error={rowErrors?.overage?.message}>
                  <Input
                    id={`${prefix}-overage-${index}`}
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder={t("plans.admin.fields.overageNone")}
                    aria-invalid={!!rowErrors?.overage}
                    data-testid="plan-price-overage"
                    {...form.register(`prices.${index}.overage`)}
                  />
                </Field>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  className="mt-7"
                  onClick={() => prices.remove(index)}
                  aria-label={t("plans.admin.removePrice")}
                  data-testid="plan-price-remove"
                >
                  <Trash2Icon />
                </Button>
              </div>
            );
          })}
          {errors.prices?.message ? (
            <p role="alert" className="text-xs text-destructive">
              {t(errors.prices.message)}
            </p>
          ) : null}
          <Button variant="ghost" size="sm" onClick={() => prices.append(emptyPriceRow())} data-testid="plan-price-add">
            <PlusIcon /> {t("plans.admin.addPrice")}
          </Button>
        </fieldset>
      </div>
    </FormDialog>
  );
}

type BoxName = "public" | "contact_us" | "white_label";

function BoxField({ control, name, id, label }: { control: Control<PlanFormValues>; name: BoxName; id: string; label: string }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <label htmlFor={id} className="flex items-center gap-2 text-sm">
          <Checkbox
            id={id}
            checked={field.value}
            onCheckedChange={(checked) => field.onChange(checked === true)}
            data-testid={`plan-${name.replace("_", "-")}`}
          />
          {label}
        </label>
      )}
    />
  );
}
