import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { CheckCircle2Icon, HandshakeIcon, LinkIcon } from "lucide-react";
import { useForm } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { z } from "zod";
import { ApiError, unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { emailField, requiredText, withConfirmation } from "@/features/auth/schemas";
import { useCan } from "@/features/auth/use-can";
import { useMyPermissions } from "@/features/auth/use-me";
import { useSession } from "@/features/auth/use-session";
import { currentLanguage } from "@/i18n";
import { useErrorMessage } from "@/lib/use-error-message";

export function JoinPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const { code = "" } = useParams();
  const link = useQuery({
    queryKey: ["join", code],
    queryFn: () => unwrap(api.GET("/api/join/{code}", { params: { path: { code } } })),
    retry: false,
  });

  if (link.isPending) {
    return (
      <AuthLayout title={<Skeleton className="h-7 w-56" />}>
        <Skeleton className="h-40 w-full" />
      </AuthLayout>
    );
  }
  if (link.isError) {
    const unknown = link.error instanceof ApiError && link.error.status === 404;
    return (
      <AuthLayout title={t("join.invalidTitle")}>
        <div className="space-y-4" data-testid="join-invalid">
          <div className="flex size-12 items-center justify-center rounded-xl bg-muted text-muted-foreground">
            <LinkIcon className="size-6" />
          </div>
          <p className="text-sm text-muted-foreground">{unknown ? t("join.invalidText") : errorMessage(link.error)}</p>
          <Button asChild variant="outline" className="w-full">
            <Link to="/">{t("join.goHome")}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }
  const advertiser = link.data.advertiser_name;
  return (
    <AuthLayout title={<span data-testid="join-advertiser-name">{t("join.title", { advertiser })}</span>} description={t("join.description", { advertiser })}>
      <JoinBody code={code} advertiser={advertiser} />
    </AuthLayout>
  );
}

function JoinBody({ code, advertiser }: { code: string; advertiser: string }) {
  const session = useSession();
  if (!session) return <JoinSignUp code={code} />;
  return <JoinSignedIn code={code} advertiser={advertiser} />;
}

/** Joining makes an enrollment: for those who keep their own (affiliates), once their permissions are known. */
function JoinSignedIn({ code, advertiser }: { code: string; advertiser: string }) {
  const me = useMyPermissions();
  const can = useCan();
  const errorMessage = useErrorMessage();
  if (me.isPending) return <Skeleton className="h-24 w-full" />;
  if (me.isError) return <FormError testId="join-error">{errorMessage(me.error)}</FormError>;
  if (!can("memberships:own")) return <NotAnAffiliate />;
  return <JoinApply code={code} advertiser={advertiser} />;
}

function NotAnAffiliate() {
  const { t } = useTranslation();
  return (
    <div className="space-y-4" data-testid="join-not-affiliate">
      <FormError>{t("join.notAffiliate")}</FormError>
      <Button asChild variant="outline" className="w-full">
        <Link to="/">{t("join.goHome")}</Link>
      </Button>
    </div>
  );
}

function JoinApply({ code, advertiser }: { code: string; advertiser: string }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const apply = useMutation({
    mutationFn: () => unwrap(api.POST("/api/join/{code}", { params: { path: { code } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["me"] }),
  });
  const alreadyMember = apply.error instanceof ApiError && apply.error.status === 409;

  if (apply.isSuccess) {
    return (
      <div className="space-y-4" data-testid="join-applied">
        <div className="flex items-start gap-3 rounded-lg border bg-muted/40 p-4 text-sm">
          <CheckCircle2Icon className="mt-0.5 size-5 shrink-0 text-success" />
          <p>{t("join.applied", { advertiser })}</p>
        </div>
        <Button asChild className="w-full">
          <Link to="/memberships">{t("join.toMemberships")}</Link>
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {apply.error ? <FormError testId="join-error">{alreadyMember ? t("join.alreadyMember", { advertiser }) : errorMessage(apply.error)}</FormError> : null}
      <div className="flex items-start gap-3 rounded-lg border bg-muted/40 p-4 text-sm text-muted-foreground">
        <HandshakeIcon className="mt-0.5 size-5 shrink-0 text-primary" />
        <p>{t("join.applyText")}</p>
      </div>
      <Button className="w-full" disabled={apply.isPending || alreadyMember} onClick={() => apply.mutate()} data-testid="join-apply">
        {apply.isPending ? <Spinner /> : null}
        {t("join.apply")}
      </Button>
    </div>
  );
}

const signUpSchema = withConfirmation({ name: requiredText, email: emailField });
type SignUpValues = z.infer<typeof signUpSchema>;

function JoinSignUp({ code }: { code: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: "", email: "", password: "", confirm: "" },
  });
  const signUp = useMutation({
    mutationFn: ({ confirm: _confirm, ...values }: SignUpValues) =>
      unwrap(api.POST("/api/join/{code}/signup", { params: { path: { code } }, body: { ...values, locale: currentLanguage() } })),
    onSuccess: (_result, values) => navigate(`/check-email?email=${encodeURIComponent(values.email)}`),
  });
  const { errors } = form.formState;
  const next = encodeURIComponent(`/join/${code}`);
  return (
    <div className="space-y-5">
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => signUp.mutate(values))} data-testid="join-signup-form">
        {signUp.error ? <FormError testId="join-signup-error">{errorMessage(signUp.error)}</FormError> : null}
        <Field id="name" label={t("fields.name")} error={errors.name?.message}>
          <Input id="name" autoComplete="name" autoFocus aria-invalid={!!errors.name} data-testid="join-name" {...form.register("name")} />
        </Field>
        <Field id="email" label={t("fields.email")} error={errors.email?.message}>
          <Input id="email" type="email" autoComplete="email" aria-invalid={!!errors.email} data-testid="join-email" {...form.register("email")} />
        </Field>
        <Field id="password" label={t("fields.password")} error={errors.password?.message} hint={t("validation.passwordHint")}>
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            data-testid="join-password"
            {...form.register("password")}
          />
        </Field>
        <Field id="confirm" label={t("fields.confirmPassword")} error={errors.confirm?.message}>
          <Input
            id="confirm"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.confirm}
            data-testid="join-confirm"
            {...form.register("confirm")}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={signUp.isPending} data-testid="join-signup-submit">
          {signUp.isPending ? <Spinner /> : null}
          {t("join.signUpSubmit")}
        </Button>
      </form>
      <p className="text-center text-sm text-muted-foreground">
        <Trans
          i18nKey="join.haveAccount"
          components={{
            signIn: <Link to={`/sign-in?next=${next}`} className="font-medium text-foreground underline-offset-4 hover:underline" data-testid="join-sign-in" />,
          }}
        />
      </p>
    </div>
  );
}
