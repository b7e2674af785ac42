import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { requiredText } from "@/features/auth/schemas";
import { useRequiredSession } from "@/features/auth/use-session";
import { setLanguage } from "@/i18n";
import { useErrorMessage } from "@/lib/use-error-message";

const schema = z.object({ name: requiredText, locale: z.enum(["en", "ru"]) });
type Values = z.infer<typeof schema>;

export function ProfileCard() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const { user } = useRequiredSession();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: user.name, locale: user.locale } });
  const save = useMutation({
    mutationFn: (values: Values) => unwrap(api.PATCH("/api/me", { body: values })),
    onSuccess: ({ user: updated }) => {
      sessionStore.updateUser(updated);
      setLanguage(updated.locale);
      form.reset({ name: updated.name, locale: updated.locale });
      toast.success(t("account.profile.saved"));
    },
  });
  const { errors, isDirty } = form.formState;
  return (
    <Card>
      <form noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <CardHeader>
          <CardTitle>{t("account.profile.title")}</CardTitle>
          <CardDescription>{t("account.profile.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          {save.error ? <FormError className="sm:col-span-2">{errorMessage(save.error)}</FormError> : null}
          <Field id="profile-name" label={t("fields.name")} error={errors.name?.message}>
            <Input id="profile-name" autoComplete="name" aria-invalid={!!errors.name} data-testid="profile-name" {...form.register("name")} />
          </Field>
          <Field id="profile-email" label={t("fields.email")}>
            <Input id="profile-email" value={user.email} disabled readOnly />
          </Field>
          <Field id="profile-locale" label={t("account.profile.language")} hint={t("account.profile.languageHint")}>
            <Controller
              control={form.control}
              name="locale"
              render={({ field }) => (
                <Select value={field.value} onValueChange={field.onChange}>
                  <SelectTrigger id="profile-locale" data-testid="profile-locale">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value="en">English</SelectItem>
                    <SelectItem value="ru">Русский</SelectItem>
                  </SelectContent>
                </Select>
              )}
            />
          </Field>
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" disabled={save.isPending || !isDirty} data-testid="profile-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
