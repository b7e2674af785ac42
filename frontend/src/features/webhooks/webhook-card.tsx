import { EyeIcon, EyeOffIcon, KeyRoundIcon, PencilIcon, RefreshCwIcon, ScrollTextIcon, SendIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import type { WebhookEndpoint, WebhookEventType } from "@/api/types";
import { eventTypeName } from "@/features/notifications/event-names";
import { OptionSelect } from "@/features/offers/option-select";
import { TestExchange } from "@/features/postbacks/postback-test-card";
import { useRemoveWebhook, useRotateWebhookSecret, useWebhookTest } from "@/features/webhooks/use-webhooks";
import { WebhookDialog } from "@/features/webhooks/webhook-dialog";
import { useErrorMessage } from "@/lib/use-error-message";

/** One endpoint: where it posts, which events, its signing secret, a test send, and its deliveries. */
export function WebhookCard({ endpoint, eventTypes }: { endpoint: WebhookEndpoint; eventTypes: readonly WebhookEventType[] }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const remove = useRemoveWebhook();
  return (
    <Card data-testid="webhook" data-webhook-id={endpoint.id} data-enabled={endpoint.enabled}>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <UserText value={endpoint.url} className="min-w-0 font-mono text-sm break-all" testId="webhook-url-value" />
            <Badge variant={endpoint.enabled ? "success" : "neutral"}>{t(endpoint.enabled ? "webhooks.enabled" : "webhooks.disabled")}</Badge>
          </div>
          {endpoint.description ? (
            <p className="text-sm text-muted-foreground">
              <UserText value={endpoint.description} />
            </p>
          ) : null}
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <Button variant="outline" size="sm" asChild>
            <Link to={`/webhooks/${encodeURIComponent(endpoint.id)}/deliveries`} data-testid="webhook-deliveries">
              <ScrollTextIcon /> {t("webhooks.deliveries")}
            </Link>
          </Button>
          <WebhookDialog
            endpoint={endpoint}
            eventTypes={eventTypes}
            trigger={
              <Button variant="outline" size="sm" data-testid="webhook-edit">
                <PencilIcon /> {t("webhooks.edit")}
              </Button>
            }
          />
          <Confirm
            trigger={
              <Button variant="outline" size="sm" disabled={remove.isPending} aria-label={t("webhooks.delete")} data-testid="webhook-delete">
                {remove.isPending ? <Spinner /> : <Trash2Icon />}
              </Button>
            }
            title={t("webhooks.deleteTitle")}
            description={t("webhooks.deleteText")}
            confirmLabel={t("webhooks.delete")}
            onConfirm={() =>
              remove.mutate(endpoint.id, {
                onSuccess: () => toast.success(t("webhooks.deleted")),
                onError: (error) => toast.error(errorMessage(error)),
              })
            }
            testId="webhook-delete-confirm"
          />
        </div>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap gap-1.5" data-testid="webhook-events">
          {endpoint.events.map((type) => (
            <Badge key={type} variant="outline">
              {eventTypeName(t, type)}
            </Badge>
          ))}
        </div>
        <SigningSecret endpoint={endpoint} />
        <WebhookTest endpoint={endpoint} />
      </CardContent>
    </Card>
  );
}

/** The endpoint's own `whsec_…` secret, hidden until asked for, and a new one on request. */
function SigningSecret({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const rotate = useRotateWebhookSecret();
  const [shown, setShown] = useState(false);
  return (
    <div className="space-y-2 rounded-lg border bg-muted/30 p-3" data-testid="webhook-secret">
      <p className="flex items-center gap-2 text-sm font-medium">
        <KeyRoundIcon className="size-4 text-muted-foreground" />
        {t("webhooks.secret.title")}
      </p>
      <p className="text-xs text-muted-foreground">{t("webhooks.secret.text")}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 rounded-md border bg-background p-2 font-mono text-xs break-all" data-testid="webhook-secret-value">
          {shown ? endpoint.secret : "whsec_" + "•".repeat(24)}
        </code>
        <Button
          variant="ghost"
          size="icon-sm"
          onClick={() => setShown(!shown)}
          aria-label={t(shown ? "webhooks.secret.hide" : "webhooks.secret.show")}
          data-testid="webhook-secret-toggle"
        >
          {shown ? <EyeOffIcon /> : <EyeIcon />}
        </Button>
        <CopyButton value={endpoint.secret} size="icon-sm" testId="webhook-secret-copy" />
        <Confirm
          trigger={
            <Button variant="outline" size="sm" disabled={rotate.isPending} data-testid="webhook-secret-rotate">
              {rotate.isPending ? <Spinner /> : <RefreshCwIcon />}
              {t("webhooks.secret.rotate")}
            </Button>
          }
          title={t("webhooks.secret.rotateTitle")}
          description={t("webhooks.secret.rotateText")}
          confirmLabel={t("webhooks.secret.rotate")}
          onConfirm={() =>
            rotate.mutate(endpoint.id, {
              onSuccess: () => toast.success(t("webhooks.secret.rotated")),
              onError: (error) => toast.error(errorMessage(error)),
            })
          }
          testId="webhook-secret-rotate-confirm"
        />
      </div>
    </div>
  );
}

/** A sample event of one subscribed type sent now, and the exchange shown as the postbacks' test shows it. */
function WebhookTest({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const test = useWebhookTest(endpoint.id);
  const [picked, setPicked] = useState<WebhookEventType | null>(null);
  const type = picked !== null && endpoint.events.includes(picked) ? picked : endpoint.events[0];
  if (type === undefined) return null;
  return (
    <div className="space-y-3" data-testid="webhook-test">
      <div className="flex flex-wrap items-center gap-2">
        <OptionSelect
          value={type}
          onChange={setPicked}
          options={endpoint.events}
          label={(value) => eventTypeName(t, value)}
          ariaLabel={t("webhooks.test.event")}
          className="w-64"
          testId="webhook-test-event"
        />
        <Button variant="outline" size="sm" disabled={test.isPending} onClick={() => test.mutate(type)} data-testid="webhook-test-send">
          {test.isPending ? <Spinner /> : <SendIcon />}
          {t("webhooks.test.send")}
        </Button>
      </div>
      {test.error ? <FormError testId="webhook-test-error">{errorMessage(test.error)}</FormError> : null}
      {test.data ? <TestExchange result={test.data} /> : null}
    </div>
  );
}
