import { useMutation } from "@tanstack/react-query";
import { MailCheckIcon } from "lucide-react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { AuthLayout } from "@/features/auth/auth-layout";
import { useErrorMessage } from "@/lib/use-error-message";

export function CheckEmailPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [params] = useSearchParams();
  const email = params.get("email") ?? "";
  const resend = useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/resend-verification", { body: { email } })),
    onSuccess: () => toast.success(t("auth.checkEmail.resent")),
  });
  return (
    <AuthLayout title={t("auth.checkEmail.title")}>
      <div className="space-y-5" data-testid="check-email">
        <div className="flex size-12 items-center justify-center rounded-xl bg-primary/10 text-primary">
          <MailCheckIcon className="size-6" />
        </div>
        <p className="text-sm text-muted-foreground">
          {email ? (
            <Trans i18nKey="auth.checkEmail.textWithEmail" values={{ email }} components={{ strong: <strong className="font-medium text-foreground" /> }} />
          ) : (
            t("auth.checkEmail.text")
          )}
        </p>
        {resend.error ? <FormError>{errorMessage(resend.error)}</FormError> : null}
        <div className="flex flex-col gap-2">
          {email ? (
            <Button variant="outline" disabled={resend.isPending} onClick={() => resend.mutate()} data-testid="check-email-resend">
              {t("auth.checkEmail.resend")}
            </Button>
          ) : null}
          <Button asChild variant="ghost">
            <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
          </Button>
        </div>
      </div>
    </AuthLayout>
  );
}
