import { PlusIcon, Trash2Icon } from "lucide-react";
import { Controller, useFieldArray, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { capMetricKey } from "@/features/offers/cpc";
import { OptionSelect } from "@/features/offers/option-select";
import { CAP_METRICS, CAP_PERIODS, emptyCap, type CapRow } from "@/features/offers/offer-schema";

type WithCaps = { caps: CapRow[] };
type CapsEditorProps<Values extends WithCaps> = {
  control: Control<Values>;
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>;
  /** Prefixes the rows' ids and test ids, e.g. "offer-cap" or "access-cap". */
  idPrefix: string;
};

/** Editable cap rows (metric, period, limit) of any form that has a `caps` array: the offer's and an affiliate's. */
export function CapsEditor<Values extends WithCaps>(props: CapsEditorProps<Values>) {
  const { t } = useTranslation();
  // Both forms share the `caps` field; narrowing the form types to it lets one editor serve them.
  const control = props.control as unknown as Control<WithCaps>;
  const register = props.register as unknown as UseFormRegister<WithCaps>;
  const errors = (props.errors as FieldErrors<WithCaps>).caps;
  const { idPrefix } = props;
  const { fields, append, remove } = useFieldArray({ control, name: "caps" });
  const listError = errors?.root?.message ?? errors?.message;

  return (
    <div className="space-y-3">
      {fields.length === 0 ? <p className="text-sm text-muted-foreground">{t("offers.form.noCaps")}</p> : null}
      {fields.map((field, index) => (
        <div key={field.id} className="grid items-start gap-3 rounded-lg border p-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid={`${idPrefix}-${index}`}>
          <Field id={`${idPrefix}-${index}-metric`} label={t("offers.form.capMetric")}>
            <Controller
              control={control}
              name={`caps.${index}.metric`}
              render={({ field: metric }) => (
                <OptionSelect
                  id={`${idPrefix}-${index}-metric`}
                  value={metric.value}
                  onChange={metric.onChange}
                  options={CAP_METRICS}
                  label={(value) => t(capMetricKey(value))}
                  testId={`${idPrefix}-metric-${index}`}
                />
              )}
            />
          </Field>
          <Field id={`${idPrefix}-${index}-period`} label={t("offers.form.capPeriod")}>
            <Controller
              control={control}
              name={`caps.${index}.period`}
              render={({ field: period }) => (
                <OptionSelect
                  id={`${idPrefix}-${index}-period`}
                  value={period.value}
                  onChange={period.onChange}
                  options={CAP_PERIODS}
                  label={(value) => t(`offers.capPeriod.${value}`)}
                  testId={`${idPrefix}-period-${index}`}
                />
              )}
            />
          </Field>
          <Field id={`${idPrefix}-${index}-limit`} label={t("offers.form.capLimit")} error={errors?.[index]?.limit?.message}>
            <Input
              id={`${idPrefix}-${index}-limit`}
              inputMode="decimal"
              aria-invalid={!!errors?.[index]?.limit}
              data-testid={`${idPrefix}-limit-${index}`}
              {...register(`caps.${index}.limit`)}
            />
          </Field>
          <Button
            variant="ghost"
            size="icon"
            className="text-muted-foreground sm:mt-[22px]"
            aria-label={t("offers.form.removeCap")}
            onClick={() => remove(index)}
            data-testid={`${idPrefix}-remove-${index}`}
          >
            <Trash2Icon />
          </Button>
        </div>
      ))}
      {listError ? <FormError testId={`${idPrefix}-error`}>{t(listError)}</FormError> : null}
      <Button variant="outline" size="sm" onClick={() => append(emptyCap())} data-testid={`${idPrefix}-add`}>
        <PlusIcon /> {t("offers.form.addCap")}
      </Button>
    </div>
  );
}
