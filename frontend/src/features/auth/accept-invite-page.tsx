import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import type { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { requiredText, withConfirmation } from "@/features/auth/schemas";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = withConfirmation({ name: requiredText });
type Values = z.infer<typeof schema>;

export function AcceptInvitePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: "", password: "", confirm: "" } });
  const accept = useMutation({
    mutationFn: ({ name, password }: Values) => unwrap(api.POST("/api/auth/invite/accept", { body: { token, name, password } })),
    onSuccess: (session) => {
      sessionStore.set(session);
      navigate("/", { replace: true });
    },
  });
  const { errors } = form.formState;
  return (
    <AuthLayout title={t("auth.invite.title")} description={t("auth.invite.description")}>
      {!token ? (
        <FormError>{t("auth.missingToken")}</FormError>
      ) : (
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => accept.mutate(values))}>
          {accept.error ? <FormError testId="invite-error">{errorMessage(accept.error)}</FormError> : null}
          <Field id="name" label={t("fields.name")} error={errors.name?.message}>
            <Input id="name" autoComplete="name" autoFocus aria-invalid={!!errors.name} data-testid="invite-name" {...form.register("name")} />
          </Field>
          <Field id="password" label={t("fields.password")} error={errors.password?.message} hint={t("validation.passwordHint")}>
            <Input
              id="password"
              type="password"
              autoComplete="new-password"
              aria-invalid={!!errors.password}
              data-testid="invite-password"
              {...form.register("password")}
            />
          </Field>
          <Field id="confirm" label={t("fields.confirmPassword")} error={errors.confirm?.message}>
            <Input
              id="confirm"
              type="password"
              autoComplete="new-password"
              aria-invalid={!!errors.confirm}
              data-testid="invite-confirm"
              {...form.register("confirm")}
            />
          </Field>
          <Button type="submit" className="w-full" disabled={accept.isPending} data-testid="invite-submit">
            {accept.isPending ? <Spinner /> : null}
            {t("auth.invite.submit")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
