import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import type { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { emailField, requiredText, withConfirmation } from "@/features/auth/schemas";
import { useBrand } from "@/features/branding/brand-provider";
import { currentLanguage } from "@/i18n";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = withConfirmation({ name: requiredText, company_name: requiredText, email: emailField });
type Values = z.infer<typeof schema>;

/** An advertiser opens its account here, on the platform's own host; an advertiser's portal signs up its affiliates only, by registration links. */
export function SignUpPage() {
  const { onPortal } = useBrand();
  return onPortal ? <PortalSignUp /> : <AdvertiserSignUp />;
}

function PortalSignUp() {
  const { t } = useTranslation();
  const { brand } = useBrand();
  return (
    <AuthLayout title={t("auth.signUp.portalTitle")} description={t("auth.signUp.portalText", { brand: brand.name })}>
      <Button asChild variant="outline" className="w-full" data-testid="signup-portal-sign-in">
        <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
      </Button>
    </AuthLayout>
  );
}

function AdvertiserSignUp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: "", company_name: "", email: "", password: "", confirm: "" },
  });
  const signUp = useMutation({
    mutationFn: ({ confirm: _confirm, ...values }: Values) => unwrap(api.POST("/api/auth/signup", { body: { ...values, locale: currentLanguage() } })),
    onSuccess: (_result, values) => navigate(`/check-email?email=${encodeURIComponent(values.email)}`),
  });
  const { errors } = form.formState;

  return (
    <AuthLayout
      title={t("auth.signUp.title")}
      description={t("auth.signUp.description")}
      footer={
        <>
          {t("auth.signUp.haveAccount")}{" "}
          <Link to="/sign-in" className="font-medium text-foreground underline-offset-4 hover:underline">
            {t("auth.signIn.submit")}
          </Link>
        </>
      }
    >
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => signUp.mutate(values))} data-testid="signup-form">
        {signUp.error ? <FormError testId="signup-error">{errorMessage(signUp.error)}</FormError> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="name" label={t("fields.name")} error={errors.name?.message}>
            <Input id="name" autoComplete="name" autoFocus aria-invalid={!!errors.name} data-testid="signup-name" {...form.register("name")} />
          </Field>
          <Field id="company_name" label={t("fields.company")} error={errors.company_name?.message}>
            <Input
              id="company_name"
              autoComplete="organization"
              aria-invalid={!!errors.company_name}
              data-testid="signup-company"
              {...form.register("company_name")}
            />
          </Field>
        </div>
        <Field id="email" label={t("fields.workEmail")} error={errors.email?.message}>
          <Input id="email" type="email" autoComplete="email" aria-invalid={!!errors.email} data-testid="signup-email" {...form.register("email")} />
        </Field>
        <Field id="password" label={t("fields.password")} error={errors.password?.message} hint={t("validation.passwordHint")}>
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            data-testid="signup-password"
            {...form.register("password")}
          />
        </Field>
        <Field id="confirm" label={t("fields.confirmPassword")} error={errors.confirm?.message}>
          <Input
            id="confirm"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.confirm}
            data-testid="signup-confirm"
            {...form.register("confirm")}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={signUp.isPending} data-testid="signup-submit">
          {signUp.isPending ? <Spinner /> : null}
          {t("auth.signUp.submit")}
        </Button>
        <p className="text-center text-xs text-muted-foreground">{t("auth.signUp.affiliateNote")}</p>
      </form>
    </AuthLayout>
  );
}
