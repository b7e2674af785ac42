import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { BillingProfile } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import {
  billingProfileSchema,
  INVOICE_LANGUAGES,
  PAYMENT_METHODS,
  profileToForm,
  toProfileBody,
  type BillingProfileValues,
} from "@/features/billing/profile-form";
import { useBillingProfile, useSaveBillingProfile } from "@/features/billing/use-billing";
import { OptionSelect } from "@/features/offers/option-select";
import { useErrorMessage } from "@/lib/use-error-message";

/** Whom the platform's invoices are addressed to, in which language, and how they are paid. */
export function BillingProfileCard({ advertiserId, editable }: { advertiserId: string | undefined; editable: boolean }) {
  const { t } = useTranslation();
  const profile = useBillingProfile(advertiserId);
  return (
    <Card data-testid="billing-profile">
      <CardHeader>
        <CardTitle>{t("plans.profile.title")}</CardTitle>
        <CardDescription>{t("plans.profile.text")}</CardDescription>
      </CardHeader>
      {profile.isError ? (
        <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
      ) : !profile.data ? (
        <CardContent>
          <Skeleton className="h-48 w-full" />
        </CardContent>
      ) : (
        <ProfileForm key={JSON.stringify(profile.data)} profile={profile.data} advertiserId={advertiserId} editable={editable} />
      )}
    </Card>
  );
}

function ProfileForm({ profile, advertiserId, editable }: { profile: BillingProfile; advertiserId: string | undefined; editable: boolean }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const save = useSaveBillingProfile(advertiserId);
  const form = useForm<BillingProfileValues>({ resolver: zodResolver(billingProfileSchema), defaultValues: profileToForm(profile) });
  const { errors, isDirty } = form.formState;
  const submit = form.handleSubmit((values) => save.mutate(toProfileBody(values), { onSuccess: () => toast.success(t("plans.profile.saved")) }));
  const text = (name: "legal_name" | "tax_id" | "email", label: string, hint: string, props: { type?: string; autoComplete?: string } = {}) => (
    <Field id={`billing-profile-${name}`} label={label} hint={hint} error={errors[name]?.message}>
      <Input
        id={`billing-profile-${name}`}
        disabled={!editable}
        aria-invalid={!!errors[name]}
        data-testid={`billing-profile-${name}`}
        autoComplete="off"
        {...props}
        {...form.register(name)}
      />
    </Field>
  );
  return (
    <form noValidate onSubmit={submit}>
      <CardContent className="grid gap-4 sm:grid-cols-2">
        {save.error ? (
          <FormError className="sm:col-span-2" testId="billing-profile-error">
            {errorMessage(save.error)}
          </FormError>
        ) : null}
        {text("legal_name", t("plans.profile.legalName"), t("plans.profile.legalNameHint"), { autoComplete: "organization" })}
        {text("tax_id", t("plans.profile.taxId"), t("plans.profile.taxIdHint"))}
        <Field id="billing-profile-address" label={t("plans.profile.address")} error={errors.address?.message} className="sm:col-span-2">
          <Textarea
            id="billing-profile-address"
            rows={3}
            disabled={!editable}
            aria-invalid={!!errors.address}
            data-testid="billing-profile-address"
            {...form.register("address")}
          />
        </Field>
        {text("email", t("plans.profile.email"), t("plans.profile.emailHint"), { type: "email" })}
        <Field id="billing-profile-locale" label={t("plans.profile.language")} hint={t("plans.profile.languageHint")}>
          <Controller
            control={form.control}
            name="locale"
            render={({ field }) =>
              editable ? (
                <OptionSelect
                  id="billing-profile-locale"
                  value={field.value}
                  onChange={field.onChange}
                  options={INVOICE_LANGUAGES}
                  label={(language) => t(`plans.profile.languages.${language}`)}
                  testId="billing-profile-locale"
                />
              ) : (
                <Input id="billing-profile-locale" disabled value={t(`plans.profile.languages.${field.value}`)} />
              )
            }
          />
        </Field>
        <Field id="billing-profile-method" label={t("plans.profile.paymentMethod")} hint={t("plans.profile.paymentMethodHint")}>
          <Controller
            control={form.control}
            name="payment_method"
            render={({ field }) =>
              editable ? (
                <OptionSelect
                  id="billing-profile-method"
                  value={field.value}
                  onChange={field.onChange}
                  options={PAYMENT_METHODS}
                  label={(method) => t(`plans.methods.${method}`)}
                  testId="billing-profile-method"
                />
              ) : (
                <Input id="billing-profile-method" disabled value={t(`plans.methods.${field.value}`)} />
              )
            }
          />
        </Field>
      </CardContent>
      {editable ? (
        <CardFooter className="justify-end">
          <Button type="submit" disabled={save.isPending || !isDirty} data-testid="billing-profile-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </CardFooter>
      ) : null}
    </form>
  );
}
