import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { ArrowLeftIcon, ShieldCheckIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { z } from "zod";
import { ApiError, unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import type { Session } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { safeNext } from "@/features/auth/safe-next";
import { emailField, mfaCodeField } from "@/features/auth/schemas";
import { useBrand } from "@/features/branding/brand-provider";
import { useErrorMessage } from "@/lib/use-error-message";

const credentialsSchema = z.object({ email: emailField, password: z.string().min(1, "validation.required") });
const mfaSchema = z.object({ code: mfaCodeField });
type Credentials = z.infer<typeof credentialsSchema>;

function isSession(result: unknown): result is Session {
  return typeof result === "object" && result !== null && "access_token" in result;
}

export function SignInPage() {
  const { t } = useTranslation();
  const { brand, onPortal } = useBrand();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  const finish = (session: Session) => {
    sessionStore.set(session);
    navigate(next, { replace: true });
  };

  return mfaToken ? (
    <MfaStep mfaToken={mfaToken} onBack={() => setMfaToken(null)} onSession={finish} />
  ) : (
    <AuthLayout
      title={t("auth.signIn.title")}
      description={t("auth.signIn.description", { brand: brand.name })}
      footer={
        // Advertisers open their accounts on the platform's own host; on a portal, affiliates join by a link.
        onPortal ? (
          t("auth.signIn.portalNoAccount", { brand: brand.name })
        ) : (
          <>
            {t("auth.signIn.noAccount", { brand: brand.name })}{" "}
            <Link to="/sign-up" className="font-medium text-foreground underline-offset-4 hover:underline" data-testid="signin-to-signup">
              {t("auth.signIn.createAccount")}
            </Link>
          </>
        )
      }
    >
      <CredentialsStep onSession={finish} onMfa={(token) => setMfaToken(token)} />
    </AuthLayout>
  );
}

function CredentialsStep({ onSession, onMfa }: { onSession: (session: Session) => void; onMfa: (token: string) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<Credentials>({ resolver: zodResolver(credentialsSchema), defaultValues: { email: "", password: "" } });
  const login = useMutation({
    mutationFn: (values: Credentials) => unwrap(api.POST("/api/auth/login", { body: values })),
    onSuccess: (result) => {
      if (isSession(result)) onSession(result);
      else onMfa(result.mfa_token);
    },
  });
  const resend = useMutation({
    mutationFn: (email: string) => unwrap(api.POST("/api/auth/resend-verification", { body: { email } })),
    onSuccess: () => toast.success(t("auth.checkEmail.resent")),
  });
  const { errors } = form.formState;
  const notVerified = login.error instanceof ApiError && login.error.code === "email_not_verified";

  return (
    <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => login.mutate(values))} data-testid="signin-form">
      {login.error ? (
        <FormError testId="signin-error">
          <p>{errorMessage(login.error)}</p>
          {notVerified ? (
            <Button
              variant="outline"
              size="sm"
              disabled={resend.isPending}
              onClick={() => resend.mutate(form.getValues("email"))}
              data-testid="signin-resend-verification"
            >
              {t("auth.checkEmail.resend")}
            </Button>
          ) : null}
        </FormError>
      ) : null}
      <Field id="email" label={t("fields.email")} error={errors.email?.message}>
        <Input id="email" type="email" autoComplete="email" autoFocus aria-invalid={!!errors.email} data-testid="signin-email" {...form.register("email")} />
      </Field>
      <Field
        id="password"
        label={t("fields.password")}
        error={errors.password?.message}
        action={
          <Link to="/forgot-password" className="text-xs text-muted-foreground hover:text-foreground" data-testid="signin-forgot">
            {t("auth.signIn.forgot")}
          </Link>
        }
      >
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          data-testid="signin-password"
          {...form.register("password")}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={login.isPending} data-testid="signin-submit">
        {login.isPending ? <Spinner /> : null}
        {t("auth.signIn.submit")}
      </Button>
    </form>
  );
}

function MfaStep({ mfaToken, onBack, onSession }: { mfaToken: string; onBack: () => void; onSession: (session: Session) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<{ code: string }>({ resolver: zodResolver(mfaSchema), defaultValues: { code: "" } });
  const verify = useMutation({
    mutationFn: (code: string) => unwrap(api.POST("/api/auth/login/mfa", { body: { mfa_token: mfaToken, code } })),
    onSuccess: onSession,
  });
  const { errors } = form.formState;
  return (
    <AuthLayout title={t("auth.mfa.title")} description={t("auth.mfa.description")}>
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit(({ code }) => verify.mutate(code))} data-testid="signin-mfa-form">
        <div className="flex items-center gap-3 rounded-lg border bg-muted/40 p-3 text-sm text-muted-foreground">
          <ShieldCheckIcon className="size-5 shrink-0 text-primary" />
          {t("auth.mfa.hint")}
        </div>
        {verify.error ? <FormError testId="signin-mfa-error">{errorMessage(verify.error)}</FormError> : null}
        <Field id="code" label={t("fields.code")} error={errors.code?.message}>
          <Input
            id="code"
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            placeholder="123456"
            className="font-mono tracking-widest"
            aria-invalid={!!errors.code}
            data-testid="signin-mfa-code"
            {...form.register("code")}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={verify.isPending} data-testid="signin-mfa-submit">
          {verify.isPending ? <Spinner /> : null}
          {t("auth.mfa.submit")}
        </Button>
        <Button variant="ghost" className="w-full" onClick={onBack}>
          <ArrowLeftIcon /> {t("common.back")}
        </Button>
      </form>
    </AuthLayout>
  );
}
