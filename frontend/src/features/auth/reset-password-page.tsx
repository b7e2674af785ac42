import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { CheckCircle2Icon } from "lucide-react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import type { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { withConfirmation } from "@/features/auth/schemas";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = withConfirmation({});
type Values = z.infer<typeof schema>;

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { password: "", confirm: "" } });
  const reset = useMutation({
    mutationFn: (password: string) => unwrap(api.POST("/api/auth/password/reset", { body: { token, password } })),
  });
  const { errors } = form.formState;

  if (reset.isSuccess) {
    return (
      <AuthLayout title={t("auth.reset.doneTitle")} description={t("auth.reset.doneText")}>
        <div className="space-y-5" data-testid="reset-done">
          <CheckCircle2Icon className="size-10 text-success" />
          <Button asChild className="w-full">
            <Link to="/sign-in">{t("auth.signIn.submit")}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t("auth.reset.title")} description={t("auth.reset.description")}>
      {!token ? (
        <FormError>{t("auth.missingToken")}</FormError>
      ) : (
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit(({ password }) => reset.mutate(password))}>
          {reset.error ? <FormError testId="reset-error">{errorMessage(reset.error)}</FormError> : null}
          <Field id="password" label={t("fields.newPassword")} error={errors.password?.message} hint={t("validation.passwordHint")}>
            <Input
              id="password"
              type="password"
              autoComplete="new-password"
              autoFocus
              aria-invalid={!!errors.password}
              data-testid="reset-password"
              {...form.register("password")}
            />
          </Field>
          <Field id="confirm" label={t("fields.confirmPassword")} error={errors.confirm?.message}>
            <Input
              id="confirm"
              type="password"
              autoComplete="new-password"
              aria-invalid={!!errors.confirm}
              data-testid="reset-confirm"
              {...form.register("confirm")}
            />
          </Field>
          <Button type="submit" className="w-full" disabled={reset.isPending} data-testid="reset-submit">
            {reset.isPending ? <Spinner /> : null}
            {t("auth.reset.submit")}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
