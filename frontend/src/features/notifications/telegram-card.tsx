import { CheckCircle2Icon, SendIcon, UnlinkIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import type { TelegramLink, TelegramLinkCode } from "@/api/types";
import { countdown, isTelegramLink, secondsLeft } from "@/features/notifications/telegram-code";
import { useNow } from "@/features/notifications/use-now";
import { useUnlinkTelegram } from "@/features/notifications/use-notifications";
import { useErrorMessage } from "@/lib/use-error-message";

type TelegramCardProps = {
  telegram: TelegramLink;
  /** The code asked for, while it waits to be sent to the bot (the page asks the API until the chat is linked). */
  code: TelegramLinkCode | null;
  onConnect: () => void;
  connecting: boolean;
  connectError: unknown;
  /** The chat was disconnected: a code asked for before is forgotten. */
  onDisconnected: () => void;
};

/** The user's Telegram chat: connect it through the bot with a one-time code, or disconnect it. */
export function TelegramCard({ telegram, code, onConnect, connecting, connectError, onDisconnected }: TelegramCardProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const unlink = useUnlinkTelegram();
  return (
    <Card data-testid="telegram-card" data-linked={telegram.linked}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <SendIcon className="size-4 text-muted-foreground" />
          {t("notifications.telegram.title")}
        </CardTitle>
        <CardDescription>{t("notifications.telegram.text")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {telegram.linked ? (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="flex items-center gap-2 text-sm" data-testid="telegram-linked">
              <CheckCircle2Icon className="size-4 text-success" />
              {telegram.username ? (
                <span>
                  {t("notifications.telegram.connectedAs")} <UserText value={`@${telegram.username}`} className="font-medium" />
                </span>
              ) : (
                t("notifications.telegram.connected")
              )}
            </p>
            <Confirm
              trigger={
                <Button variant="outline" size="sm" disabled={unlink.isPending} data-testid="telegram-disconnect">
                  {unlink.isPending ? <Spinner /> : <UnlinkIcon />}
                  {t("notifications.telegram.disconnect")}
                </Button>
              }
              title={t("notifications.telegram.disconnectTitle")}
              description={t("notifications.telegram.disconnectText")}
              confirmLabel={t("notifications.telegram.disconnect")}
              onConfirm={() =>
                unlink.mutate(undefined, {
                  onSuccess: () => {
                    onDisconnected();
                    toast.success(t("notifications.telegram.disconnected"));
                  },
                  onError: (error) => toast.error(errorMessage(error)),
                })
              }
              testId="telegram-disconnect-confirm"
            />
          </div>
        ) : !telegram.bot_username ? (
          // No bot is configured on this platform: nothing to connect to.
          <p className="text-sm text-muted-foreground" data-testid="telegram-unavailable">
            {t("notifications.telegram.unavailable")}
          </p>
        ) : code ? (
          <PendingCode code={code} onRenew={onConnect} renewing={connecting} />
        ) : (
          <Button onClick={onConnect} disabled={connecting} data-testid="telegram-connect">
            {connecting ? <Spinner /> : <SendIcon />}
            {t("notifications.telegram.connect")}
          </Button>
        )}
        {connectError ? <FormError testId="telegram-error">{errorMessage(connectError)}</FormError> : null}
      </CardContent>
    </Card>
  );
}

/** The code waiting for the bot: open the chat with it, or send it by hand; a new one once it expired. */
function PendingCode({ code, onRenew, renewing }: { code: TelegramLinkCode; onRenew: () => void; renewing: boolean }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const left = secondsLeft(code.expires_at, now);
  if (left === 0) {
    return (
      <div className="space-y-3" data-testid="telegram-code-expired">
        <p className="text-sm text-muted-foreground">{t("notifications.telegram.expired")}</p>
        <Button onClick={onRenew} disabled={renewing} data-testid="telegram-connect">
          {renewing ? <Spinner /> : <SendIcon />}
          {t("notifications.telegram.newCode")}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-3" data-testid="telegram-code">
      <p className="text-sm text-muted-foreground">{t("notifications.telegram.openBot")}</p>
      <div className="flex flex-wrap items-center gap-3">
        {isTelegramLink(code.url) ? (
          <Button asChild>
            <a href={code.url} target="_blank" rel="noopener noreferrer" data-testid="telegram-open">
              <SendIcon /> {t("notifications.telegram.open")}
            </a>
          </Button>
        ) : null}
        <div className="flex items-center gap-2 rounded-md border bg-muted/30 px-2.5 py-1">
          <code className="font-mono text-sm" data-testid="telegram-code-value">
            /start {code.code}
          </code>
          <CopyButton value={`/start ${code.code}`} size="icon-sm" variant="ghost" testId="telegram-code-copy" />
        </div>
      </div>
      <p className="flex items-center gap-2 text-xs text-muted-foreground">
        <Spinner className="size-3" />
        <span>
          {t("notifications.telegram.waiting")} {t("notifications.telegram.expiresIn", { time: countdown(left) })}
        </span>
      </p>
    </div>
  );
}
