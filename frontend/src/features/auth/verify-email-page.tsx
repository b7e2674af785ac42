import { useQuery } from "@tanstack/react-query";
import { CheckCircle2Icon, XCircleIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { AuthLayout } from "@/features/auth/auth-layout";
import { useErrorMessage } from "@/lib/use-error-message";

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  // A query (not an effect) so the one-time token is posted once even when React mounts twice.
  const verification = useQuery({
    queryKey: ["verify-email", token],
    queryFn: () => unwrap(api.POST("/api/auth/verify-email", { body: { token } })),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });

  if (!token || verification.isError) {
    return (
      <AuthLayout title={t("auth.verifyEmail.failedTitle")}>
        <div className="space-y-5" data-testid="verify-email-failed">
          <XCircleIcon className="size-10 text-destructive" />
          <p className="text-sm text-muted-foreground">{token ? errorMessage(verification.error) : t("auth.missingToken")}</p>
          <Button asChild className="w-full">
            <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }
  if (verification.isPending) {
    return (
      <AuthLayout title={t("auth.verifyEmail.pendingTitle")}>
        <Spinner className="size-6 text-muted-foreground" />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t("auth.verifyEmail.doneTitle")} description={t("auth.verifyEmail.doneText")}>
      <div className="space-y-5" data-testid="verify-email-done">
        <CheckCircle2Icon className="size-10 text-success" />
        <Button asChild className="w-full" data-testid="verify-email-sign-in">
          <Link to={`/sign-in`}>{t("auth.signIn.submit")}</Link>
        </Button>
      </div>
    </AuthLayout>
  );
}
