import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { MailCheckIcon } from "lucide-react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { emailField } from "@/features/auth/schemas";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = z.object({ email: emailField });

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<{ email: string }>({ resolver: zodResolver(schema), defaultValues: { email: "" } });
  const request = useMutation({
    mutationFn: (email: string) => unwrap(api.POST("/api/auth/password/forgot", { body: { email } })),
  });
  const back = (
    <Link to="/sign-in" className="font-medium text-foreground underline-offset-4 hover:underline">
      {t("auth.backToSignIn")}
    </Link>
  );

  if (request.isSuccess) {
    return (
      <AuthLayout title={t("auth.checkEmail.title")} footer={back}>
        <div className="space-y-4" data-testid="forgot-sent">
          <div className="flex size-12 items-center justify-center rounded-xl bg-primary/10 text-primary">
            <MailCheckIcon className="size-6" />
          </div>
          <p className="text-sm text-muted-foreground">{t("auth.forgot.sent")}</p>
        </div>
      </AuthLayout>
    );
  }
  const { errors } = form.formState;
  return (
    <AuthLayout title={t("auth.forgot.title")} description={t("auth.forgot.description")} footer={back}>
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit(({ email }) => request.mutate(email))}>
        {request.error ? <FormError>{errorMessage(request.error)}</FormError> : null}
        <Field id="email" label={t("fields.email")} error={errors.email?.message}>
          <Input id="email" type="email" autoComplete="email" autoFocus aria-invalid={!!errors.email} data-testid="forgot-email" {...form.register("email")} />
        </Field>
        <Button type="submit" className="w-full" disabled={request.isPending} data-testid="forgot-submit">
          {request.isPending ? <Spinner /> : null}
          {t("auth.forgot.submit")}
        </Button>
      </form>
    </AuthLayout>
  );
}
