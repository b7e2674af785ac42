import { LockIcon, SaveIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { NotificationPreferences } from "@/api/types";
import { CHANNELS } from "@/features/notifications/catalogue";
import { cellOf, groupedEvents, isChanged, preferencesBody, withCell, type PreferenceMatrix } from "@/features/notifications/preferences-matrix";
import { TelegramCard } from "@/features/notifications/telegram-card";
import { useLinkTelegram, useNotificationPreferences, useSavePreferences } from "@/features/notifications/use-notifications";
import { useErrorMessage } from "@/lib/use-error-message";

/** Which notices reach the user on which channel, and the Telegram chat they go to. */
export function PreferencesPage() {
  const { t } = useTranslation();
  const link = useLinkTelegram();
  // While a code waits for the bot, the preferences are asked again until the chat shows as linked.
  const preferences = useNotificationPreferences(link.data !== undefined);
  const linked = preferences.data?.telegram.linked ?? false;
  return (
    <>
      <PageHeader title={t("notifications.preferences.title")} description={t("notifications.preferences.description")} />
      {preferences.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : preferences.isError ? (
        <Card>
          <ErrorState error={preferences.error} onRetry={() => void preferences.refetch()} />
        </Card>
      ) : (
        <>
          <PreferencesMatrix preferences={preferences.data} />
          <TelegramCard
            telegram={preferences.data.telegram}
            code={linked ? null : (link.data ?? null)}
            onConnect={() => link.mutate()}
            connecting={link.isPending}
            connectError={link.error}
            onDisconnected={() => link.reset()}
          />
        </>
      )}
    </>
  );
}

function PreferencesMatrix({ preferences }: { preferences: NotificationPreferences }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const save = useSavePreferences();
  // The boxes the user changed, over what the API stored.
  const [matrix, setMatrix] = useState<PreferenceMatrix>({});
  const linked = preferences.telegram.linked;
  const channels = CHANNELS.filter((channel) => preferences.channels.includes(channel));
  const changed = isChanged(preferences, matrix);
  return (
    <Card data-testid="notification-preferences">
      <CardHeader>
        <CardTitle>{t("notifications.preferences.matrixTitle")}</CardTitle>
        <CardDescription>{t("notifications.preferences.matrixText")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>{t("notifications.preferences.notice")}</TableHead>
              {channels.map((channel) => (
                <TableHead key={channel} className="w-28 text-center" data-testid={`preferences-channel-${channel}`}>
                  {t(`notifications.channels.${channel}`)}
                  {channel === "telegram" && !linked ? (
                    <span className="block text-[11px] font-normal text-muted-foreground">{t("notifications.preferences.telegramHint")}</span>
                  ) : null}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {groupedEvents(preferences.events).map(([group, events]) => [
              <TableRow key={group} className="bg-muted/40 hover:bg-muted/40">
                <TableCell colSpan={channels.length + 1} className="py-1.5 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
                  {t(`notifications.groups.${group}`)}
                </TableCell>
              </TableRow>,
              ...events.map((event) => (
                <TableRow key={event.type} data-testid="preferences-row" data-type={event.type}>
                  <TableCell className="whitespace-normal">
                    <p className="text-sm font-medium">{t(`notifications.events.${event.type}.name`)}</p>
                    <p className="text-xs text-muted-foreground">{t(`notifications.events.${event.type}.description`)}</p>
                    {event.security ? (
                      <p className="mt-1 flex items-center gap-1 text-xs text-muted-foreground">
                        <LockIcon className="size-3" /> {t("notifications.preferences.alwaysOn")}
                      </p>
                    ) : null}
                  </TableCell>
                  {channels.map((channel) => {
                    const cell = cellOf(event, channel, matrix, linked);
                    const id = `preference-${event.type}-${channel}`;
                    return (
                      <TableCell key={channel} className="text-center">
                        <Checkbox
                          id={id}
                          checked={cell.checked}
                          disabled={cell.locked !== null}
                          onCheckedChange={(checked) => setMatrix((current) => withCell(current, event, channel, checked === true, linked))}
                          aria-label={`${t(`notifications.events.${event.type}.name`)}: ${t(`notifications.channels.${channel}`)}`}
                          data-testid={id}
                        />
                      </TableCell>
                    );
                  })}
                </TableRow>
              )),
            ])}
          </TableBody>
        </Table>
        {save.error ? <FormError testId="preferences-error">{errorMessage(save.error)}</FormError> : null}
        <div className="flex justify-end">
          <Button
            disabled={!changed || save.isPending}
            onClick={() =>
              save.mutate(preferencesBody(preferences, matrix), {
                onSuccess: () => {
                  setMatrix({});
                  toast.success(t("notifications.preferences.saved"));
                },
              })
            }
            data-testid="preferences-save"
          >
            {save.isPending ? <Spinner /> : <SaveIcon />}
            {t("common.save")}
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
