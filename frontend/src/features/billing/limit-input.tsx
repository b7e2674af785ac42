import type { ReactNode } from "react";
import { Controller, useWatch, type Control, type FieldValues, type Path, type UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { LimitFields } from "@/features/billing/plan-form";
import { COUNTED_LIMITS, limitName, type CountedLimit } from "@/features/billing/plan-words";

/** A form that keeps its counted limits as `limits` (plan-form's `LimitFields`): a plan's, or an advertiser's own terms. */
type WithLimits = FieldValues & { limits: LimitFields };

type LimitInputProps<Values extends WithLimits> = {
  limit: CountedLimit;
  /** The ids' prefix, unique on the page. */
  prefix: string;
  /** The test ids' prefix: `<testId>-<limit>` and `<testId>-<limit>-unlimited`. */
  testId: string;
  control: Control<Values>;
  register: UseFormRegister<Values>;
  error: string | undefined;
};

/** A counted limit: a number, or "unlimited" (the number is then not asked). */
export function LimitInput<Values extends WithLimits>({ limit, prefix, testId, control, register, error }: LimitInputProps<Values>) {
  const { t } = useTranslation();
  // The paths exist in every form with `limits`; TypeScript cannot see through the generic to know it.
  const unlimitedPath = `limits.${limit}.unlimited` as Path<Values>;
  const unlimited = useWatch({ control, name: unlimitedPath }) as boolean;
  const id = `${prefix}-limit-${limit}`;
  return (
    <Field
      id={id}
      label={limitName(t, limit)}
      error={unlimited ? undefined : error}
      action={
        <Controller
          control={control}
          name={unlimitedPath}
          render={({ field }) => (
            <label htmlFor={`${id}-unlimited`} className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <Checkbox
                id={`${id}-unlimited`}
                checked={field.value as boolean}
                onCheckedChange={(checked) => field.onChange(checked === true)}
                data-testid={`${testId}-${limit}-unlimited`}
              />
              {t("plans.admin.unlimited")}
            </label>
          )}
        />
      }
    >
      <Input
        id={id}
        inputMode="numeric"
        autoComplete="off"
        disabled={unlimited}
        placeholder={unlimited ? t("plans.admin.unlimited") : undefined}
        aria-invalid={!unlimited && !!error}
        data-testid={`${testId}-${limit}`}
        {...register(`limits.${limit}.value` as Path<Values>)}
      />
    </Field>
  );
}

type LimitsFieldsetProps<Values extends WithLimits> = Omit<LimitInputProps<Values>, "limit" | "error"> & {
  /** The form state's errors of `limits`. */
  errors: Partial<Record<CountedLimit, { value?: { message?: string } }>> | undefined;
  children?: ReactNode;
};

/** Every counted limit of a form with `limits`, under the one legend (a plan's, or an advertiser's own terms). */
export function LimitsFieldset<Values extends WithLimits>({ errors, children, ...input }: LimitsFieldsetProps<Values>) {
  const { t } = useTranslation();
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium">{t("plans.admin.limitsTitle")}</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        {COUNTED_LIMITS.map((limit) => (
          <LimitInput key={limit} limit={limit} error={errors?.[limit]?.value?.message} {...input} />
        ))}
      </div>
      {children}
    </fieldset>
  );
}
