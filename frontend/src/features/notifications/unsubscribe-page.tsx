import { useMutation } from "@tanstack/react-query";
import { BellOffIcon, CheckCircle2Icon, XCircleIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { Unsubscribed } from "@/api/types";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { AuthLayout } from "@/features/auth/auth-layout";
import { useErrorMessage } from "@/lib/use-error-message";

/**
 * Where an e-mail's "unsubscribe" link lands. It asks before it acts: mail scanners follow links, and a
 * GET that unsubscribed would turn notices off nobody asked to stop. Open without signing in.
 */
export function UnsubscribePage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  // The token goes as `?token=`, the form the OpenAPI document declares (the route also takes JSON, which its
  // document cannot state: its one-click form is not JSON); the e-mail's one-click link sends it so too.
  const unsubscribe = useMutation({
    mutationFn: (token: string) => unwrap(api.POST("/api/notifications/unsubscribe", { params: { query: { token } } })),
  });
  return (
    <UnsubscribeView
      token={token}
      status={unsubscribe.status}
      result={unsubscribe.data ?? null}
      error={unsubscribe.error}
      onConfirm={() => unsubscribe.mutate(token)}
    />
  );
}

type UnsubscribeViewProps = {
  token: string;
  status: "idle" | "pending" | "success" | "error";
  result: Unsubscribed | null;
  error: unknown;
  onConfirm: () => void;
};

const preferencesLink = "/settings/notifications";

export function UnsubscribeView({ token, status, result, error, onConfirm }: UnsubscribeViewProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  if (!token || status === "error") {
    return (
      <AuthLayout title={t("notifications.unsubscribe.failedTitle")}>
        <div className="space-y-5" data-testid="unsubscribe-failed">
          <XCircleIcon className="size-10 text-destructive" />
          <p className="text-sm text-muted-foreground">{token ? errorMessage(error) : t("notifications.unsubscribe.missingToken")}</p>
          <Button asChild variant="outline" className="w-full">
            <Link to={preferencesLink}>{t("notifications.unsubscribe.toPreferences")}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }
  if (status === "success" && result) {
    return (
      <AuthLayout title={t("notifications.unsubscribe.doneTitle")}>
        <div className="space-y-5" data-testid="unsubscribe-done">
          <CheckCircle2Icon className="size-10 text-success" />
          <p className="text-sm" data-testid="unsubscribe-done-text">
            {t("notifications.unsubscribe.doneText", { notice: t(`notifications.events.${result.type}.name`, { defaultValue: result.type }) })}{" "}
            <UserText value={result.email} className="font-medium" />
          </p>
          <p className="text-sm text-muted-foreground">{t("notifications.unsubscribe.doneHint")}</p>
          <Button asChild className="w-full" data-testid="unsubscribe-preferences">
            <Link to={preferencesLink}>{t("notifications.unsubscribe.toPreferences")}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }
  const pending = status === "pending";
  return (
    <AuthLayout title={t("notifications.unsubscribe.title")} description={t("notifications.unsubscribe.text")}>
      <div className="space-y-5" data-testid="unsubscribe-ask">
        <BellOffIcon className="size-10 text-muted-foreground" />
        <p className="text-sm text-muted-foreground">{t("notifications.unsubscribe.securityNote")}</p>
        <Button className="w-full" onClick={onConfirm} disabled={pending} data-testid="unsubscribe-confirm">
          {pending ? <Spinner /> : null}
          {t("notifications.unsubscribe.confirm")}
        </Button>
        <Button asChild variant="outline" className="w-full">
          <Link to={preferencesLink}>{t("notifications.unsubscribe.toPreferences")}</Link>
        </Button>
      </div>
    </AuthLayout>
  );
}
