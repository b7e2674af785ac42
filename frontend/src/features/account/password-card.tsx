import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { passwordChangeSchema, type PasswordChangeValues } from "@/features/account/account-schemas";
import { useErrorMessage } from "@/lib/use-error-message";

export function PasswordCard() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<PasswordChangeValues>({
    resolver: zodResolver(passwordChangeSchema),
    defaultValues: { current_password: "", new_password: "", confirm: "" },
  });
  const change = useMutation({
    mutationFn: ({ current_password, new_password }: PasswordChangeValues) =>
      unwrap(api.POST("/api/me/password", { body: { current_password, new_password } })),
    // Every other session has ended; this one goes on with the tokens the answer brings.
    onSuccess: (session) => {
      sessionStore.set(session);
      form.reset();
      toast.success(t("account.password.changed"));
    },
  });
  const { errors } = form.formState;
  return (
    <Card>
      <form noValidate onSubmit={form.handleSubmit((values) => change.mutate(values))}>
        <CardHeader>
          <CardTitle>{t("account.password.title")}</CardTitle>
          <CardDescription>{t("account.password.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          {change.error ? <FormError className="sm:col-span-2">{errorMessage(change.error)}</FormError> : null}
          <Field id="current-password" label={t("fields.currentPassword")} error={errors.current_password?.message} className="sm:col-span-2">
            <Input
              id="current-password"
              type="password"
              autoComplete="current-password"
              aria-invalid={!!errors.current_password}
              {...form.register("current_password")}
            />
          </Field>
          <Field id="new-password" label={t("fields.newPassword")} error={errors.new_password?.message} hint={t("validation.passwordHint")}>
            <Input id="new-password" type="password" autoComplete="new-password" aria-invalid={!!errors.new_password} {...form.register("new_password")} />
          </Field>
          <Field id="confirm-password" label={t("fields.confirmPassword")} error={errors.confirm?.message}>
            <Input id="confirm-password" type="password" autoComplete="new-password" aria-invalid={!!errors.confirm} {...form.register("confirm")} />
          </Field>
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" disabled={change.isPending} data-testid="password-save">
            {change.isPending ? <Spinner /> : null}
            {t("account.password.submit")}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
