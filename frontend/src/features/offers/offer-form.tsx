import { zodResolver } from "@hookform/resolvers/zod";
import { PlusIcon, Trash2Icon } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { Controller, useFieldArray, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { OfferCreate } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/section-card";
import { Card, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { CapsEditor } from "@/features/offers/caps-editor";
import { modelKey } from "@/features/offers/cpc";
import { countryName, isCountryCode, parseCountries } from "@/features/offers/countries";
import {
  AMOUNT_TYPES,
  emptyGoal,
  emptyLanding,
  GEO_MODES,
  OFFER_MODELS,
  offerFormSchema,
  toOfferInput,
  VISIBILITIES,
  type OfferFormValues,
} from "@/features/offers/offer-schema";
import { OptionSelect } from "@/features/offers/option-select";
import { useErrorMessage } from "@/lib/use-error-message";

type OfferFormProps = {
  defaultValues: OfferFormValues;
  onSubmit: (offer: OfferCreate) => void;
  submitting: boolean;
  /** The failed save, shown with the API's message. */
  error: unknown;
  submitLabel: ReactNode;
  /** Shown, not changed (support reading an advertiser's offer): every field disabled, no save. */
  readOnly?: boolean;
};

/** The advertiser's offer: the create and edit pages share it. */
export function OfferForm({ defaultValues, onSubmit, submitting, error, submitLabel, readOnly = false }: OfferFormProps) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<OfferFormValues>({ resolver: zodResolver(offerFormSchema), defaultValues });
  const { control, register } = form;
  const { errors } = form.formState;
  const goals = useFieldArray({ control, name: "goals" });
  const landings = useFieldArray({ control, name: "landings" });
  const [geoMode, countriesText, currencyText, visibility, goalValues] = useWatch({
    control,
    name: ["geo.mode", "geo.countries", "currency", "visibility", "goals"],
  });
  const countries = parseCountries(countriesText);
  const currency = currencyText.trim().toUpperCase();
  const amountSuffix = (type: string | undefined) => (type === "percent" ? "%" : currency);

  return (
    <form noValidate className="space-y-6" onSubmit={form.handleSubmit((values) => onSubmit(toOfferInput(values)))} data-testid="offer-form">
      <fieldset disabled={readOnly} className="contents">
        <Section title={t("offers.form.basics")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="offer-name" label={t("offers.form.name")} error={errors.name?.message} className="sm:col-span-2">
              <Input id="offer-name" aria-invalid={!!errors.name} data-testid="offer-name" {...register("name")} />
            </Field>
            <Field id="offer-description" label={t("offers.form.description")} error={errors.description?.message} className="sm:col-span-2">
              <Textarea id="offer-description" rows={3} aria-invalid={!!errors.description} data-testid="offer-description" {...register("description")} />
            </Field>
            <Field id="offer-model" label={t("offers.form.model")}>
              <Controller
                control={control}
                name="model"
                render={({ field }) => (
                  <OptionSelect
                    id="offer-model"
                    value={field.value}
                    onChange={field.onChange}
                    options={OFFER_MODELS}
                    label={(value) => t(modelKey(value))}
                    testId="offer-model"
                  />
                )}
              />
            </Field>
            <Field id="offer-currency" label={t("offers.form.currency")} error={errors.currency?.message} hint={t("offers.form.currencyHint")}>
              <Input
                id="offer-currency"
                maxLength={3}
                className="uppercase"
                aria-invalid={!!errors.currency}
                data-testid="offer-currency"
                {...register("currency")}
              />
            </Field>
            <Field id="offer-visibility" label={t("offers.form.visibility")} hint={t(`offers.visibilityHint.${visibility}`)}>
              <Controller
                control={control}
                name="visibility"
                render={({ field }) => (
                  <OptionSelect
                    id="offer-visibility"
                    value={field.value}
                    onChange={field.onChange}
                    options={VISIBILITIES}
                    label={(value) => t(`offers.visibility.${value}`)}
                    testId="offer-visibility"
                  />
                )}
              />
            </Field>
          </div>
        </Section>

        <Section title={t("offers.form.goals")} description={t("offers.form.goalsText")}>
          {goals.fields.map((field, index) => {
            const rowErrors = errors.goals?.[index];
            const payoutType = goalValues[index]?.payout_type;
            const revenueType = goalValues[index]?.revenue_type;
            return (
              <div
                key={field.id}
                className="grid items-start gap-3 rounded-lg border p-3 sm:grid-cols-2 lg:grid-cols-[9rem_1fr_1fr_1fr_auto]"
                data-testid={`offer-goal-${index}`}
              >
                <Field id={`goal-${index}-key`} label={t("offers.form.goalKey")} error={rowErrors?.key?.message}>
                  <Input
                    id={`goal-${index}-key`}
                    placeholder="lead"
                    className="font-mono"
                    aria-invalid={!!rowErrors?.key}
                    data-testid={`offer-goal-key-${index}`}
                    {...register(`goals.${index}.key`)}
                  />
                </Field>
                <Field id={`goal-${index}-name`} label={t("offers.form.goalName")} error={rowErrors?.name?.message}>
                  <Input
                    id={`goal-${index}-name`}
                    aria-invalid={!!rowErrors?.name}
                    data-testid={`offer-goal-name-${index}`}
                    {...register(`goals.${index}.name`)}
                  />
                </Field>
                <Field id={`goal-${index}-payout`} label={t("offers.form.payout")} error={rowErrors?.payout?.message}>
                  <div className="flex gap-2">
                    <Controller
                      control={control}
                      name={`goals.${index}.payout_type`}
                      render={({ field: type }) => (
                        <OptionSelect
                          value={type.value}
                          onChange={type.onChange}
                          options={AMOUNT_TYPES}
                          label={(value) => t(`offers.amountType.${value}`)}
                          testId={`offer-goal-payout-type-${index}`}
                          ariaLabel={t("offers.form.payoutType")}
                          className="w-28 shrink-0"
                        />
                      )}
                    />
                    <AmountInput
                      id={`goal-${index}-payout`}
                      suffix={amountSuffix(payoutType)}
                      invalid={!!rowErrors?.payout}
                      testId={`offer-goal-payout-${index}`}
                      {...register(`goals.${index}.payout`)}
                    />
                  </div>
                </Field>
                <Field id={`goal-${index}-revenue`} label={t("offers.form.revenue")} error={rowErrors?.revenue?.message}>
                  <div className="flex gap-2">
                    <Controller
                      control={control}
                      name={`goals.${index}.revenue_type`}
                      render={({ field: type }) => (
                        <OptionSelect
                          value={type.value}
                          onChange={type.onChange}
                          options={AMOUNT_TYPES}
                          label={(value) => t(`offers.amountType.${value}`)}
                          testId={`offer-goal-revenue-type-${index}`}
                          ariaLabel={t("offers.form.revenueType")}
                          className="w-28 shrink-0"
                        />
                      )}
                    />
                    <AmountInput
                      id={`goal-${index}-revenue`}
                      suffix={amountSuffix(revenueType)}
                      invalid={!!rowErrors?.revenue}
                      testId={`offer-goal-revenue-${index}`}
                      {...register(`goals.${index}.revenue`)}
                    />
                  </div>
                </Field>
                <Button
                  variant="ghost"
                  size="icon"
                  className="text-muted-foreground lg:mt-[22px]"
                  aria-label={t("offers.form.removeGoal")}
                  disabled={goals.fields.length === 1}
                  onClick={() => goals.remove(index)}
                  data-testid={`offer-goal-remove-${index}`}
                >
                  <Trash2Icon />
                </Button>
              </div>
            );
          })}
          <RowsError message={errors.goals?.root?.message ?? errors.goals?.message} testId="offer-goals-error" />
          <Button variant="outline" size="sm" onClick={() => goals.append(emptyGoal())} data-testid="offer-goal-add">
            <PlusIcon /> {t("offers.form.addGoal")}
          </Button>
        </Section>

        <Section title={t("offers.form.landings")} description={t("offers.form.landingsText")}>
          {landings.fields.map((field, index) => {
            const rowErrors = errors.landings?.[index];
            return (
              <div key={field.id} className="grid items-start gap-3 rounded-lg border p-3 sm:grid-cols-[1fr_8rem_auto]" data-testid={`offer-landing-${index}`}>
                <Field id={`landing-${index}-url`} label={t("offers.form.landingUrl")} error={rowErrors?.url?.message}>
                  <Input
                    id={`landing-${index}-url`}
                    type="url"
                    placeholder="https://"
                    aria-invalid={!!rowErrors?.url}
                    data-testid={`offer-landing-url-${index}`}
                    {...register(`landings.${index}.url`)}
                  />
                </Field>
                <Field id={`landing-${index}-weight`} label={t("offers.form.weight")} error={rowErrors?.weight?.message}>
                  <Input
                    id={`landing-${index}-weight`}
                    inputMode="numeric"
                    aria-invalid={!!rowErrors?.weight}
                    data-testid={`offer-landing-weight-${index}`}
                    {...register(`landings.${index}.weight`)}
                  />
                </Field>
                <Button
                  variant="ghost"
                  size="icon"
                  className="text-muted-foreground sm:mt-[22px]"
                  aria-label={t("offers.form.removeLanding")}
                  disabled={landings.fields.length === 1}
                  onClick={() => landings.remove(index)}
                  data-testid={`offer-landing-remove-${index}`}
                >
                  <Trash2Icon />
                </Button>
              </div>
            );
          })}
          <RowsError message={errors.landings?.root?.message ?? errors.landings?.message} testId="offer-landings-error" />
          <Button variant="outline" size="sm" onClick={() => landings.append(emptyLanding())} data-testid="offer-landing-add">
            <PlusIcon /> {t("offers.form.addLanding")}
          </Button>
        </Section>

        <Section title={t("offers.form.geo")} description={t("offers.form.geoText")}>
          <div className="grid gap-4 sm:grid-cols-[14rem_1fr]">
            <Field id="offer-geo-mode" label={t("offers.form.geoMode")}>
              <Controller
                control={control}
                name="geo.mode"
                render={({ field }) => (
                  <OptionSelect
                    id="offer-geo-mode"
                    value={field.value}
                    onChange={field.onChange}
                    options={GEO_MODES}
                    label={(value) => t(`offers.geoMode.${value}`)}
                    testId="offer-geo-mode"
                  />
                )}
              />
            </Field>
            {geoMode === "all" ? null : (
              <Field id="offer-geo-countries" label={t("offers.form.countries")} error={errors.geo?.countries?.message} hint={t("offers.form.countriesHint")}>
                <Input
                  id="offer-geo-countries"
                  placeholder="US, DE, GB"
                  className="uppercase"
                  aria-invalid={!!errors.geo?.countries}
                  data-testid="offer-geo-countries"
                  {...register("geo.countries")}
                />
              </Field>
            )}
          </div>
          {geoMode !== "all" && countries.length > 0 ? (
            <div className="flex flex-wrap gap-1.5" data-testid="offer-geo-preview">
              {countries.map((code) =>
                isCountryCode(code) ? (
                  <Badge key={code} variant="neutral">
                    <span className="font-mono">{code}</span> {countryName(code, i18n.language)}
                  </Badge>
                ) : (
                  <Badge key={code} variant="destructive" title={t("offers.form.unknownCountry")}>
                    <span className="font-mono">{code}</span> {t("offers.form.unknownCountry")}
                  </Badge>
                ),
              )}
            </div>
          ) : null}
        </Section>

        <Section title={t("offers.form.caps")} description={t("offers.form.capsText")}>
          <CapsEditor control={control} register={register} errors={errors} idPrefix="offer-cap" />
        </Section>

        <Section title={t("offers.form.tracking")}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="offer-hold-days" label={t("offers.form.holdDays")} error={errors.hold_days?.message} hint={t("offers.form.holdDaysHint")}>
              <Input id="offer-hold-days" inputMode="numeric" aria-invalid={!!errors.hold_days} data-testid="offer-hold-days" {...register("hold_days")} />
            </Field>
            <Field
              id="offer-attribution-days"
              label={t("offers.form.attributionDays")}
              error={errors.attribution_days?.message}
              hint={t("offers.form.attributionDaysHint")}
            >
              <Input
                id="offer-attribution-days"
                inputMode="numeric"
                aria-invalid={!!errors.attribution_days}
                data-testid="offer-attribution-days"
                {...register("attribution_days")}
              />
            </Field>
            <Field
              id="offer-min-conversion-seconds"
              label={t("offers.form.minConversionSeconds")}
              error={errors.min_conversion_seconds?.message}
              hint={t("offers.form.minConversionSecondsHint")}
            >
              <Input
                id="offer-min-conversion-seconds"
                inputMode="numeric"
                aria-invalid={!!errors.min_conversion_seconds}
                data-testid="offer-min-conversion-seconds"
                {...register("min_conversion_seconds")}
              />
            </Field>
            <Field
              id="offer-fallback-url"
              label={t("offers.form.fallbackUrl")}
              error={errors.fallback_url?.message}
              hint={t("offers.form.fallbackUrlHint")}
              className="sm:col-span-2"
            >
              <Input
                id="offer-fallback-url"
                type="url"
                placeholder="https://"
                aria-invalid={!!errors.fallback_url}
                data-testid="offer-fallback-url"
                {...register("fallback_url")}
              />
            </Field>
          </div>
        </Section>
      </fieldset>
      {readOnly ? null : (
        <Card className="sticky bottom-4 z-10 shadow-md">
          <CardFooter className="flex-col items-stretch gap-3 border-t-0 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0 flex-1">
              {error ? <FormError testId="offer-form-error">{errorMessage(error)}</FormError> : null}
              {!error && Object.keys(errors).length > 0 ? (
                <p className="text-sm text-destructive" data-testid="offer-form-invalid">
                  {t("offers.form.fixErrors")}
                </p>
              ) : null}
            </div>
            <Button type="submit" disabled={submitting} data-testid="offer-save">
              {submitting ? <Spinner /> : null}
              {submitLabel}
            </Button>
          </CardFooter>
        </Card>
      )}
    </form>
  );
}

type AmountInputProps = ComponentProps<"input"> & { suffix: string; invalid: boolean; testId: string };

/** An amount with its unit (the currency, or %) shown inside the field. */
function AmountInput({ suffix, invalid, testId, ...props }: AmountInputProps) {
  return (
    <div className="relative min-w-0 flex-1">
      <Input inputMode="decimal" aria-invalid={invalid} data-testid={testId} className="pr-12 tabular-nums" {...props} />
      <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs text-muted-foreground">{suffix}</span>
    </div>
  );
}

/** A rule on a whole list of rows ("at least one goal"), as an i18n key. */
function RowsError({ message, testId }: { message: string | undefined; testId: string }) {
  const { t } = useTranslation();
  return message ? <FormError testId={testId}>{t(message)}</FormError> : null;
}
