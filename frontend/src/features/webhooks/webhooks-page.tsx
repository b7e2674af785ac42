import { PlusIcon, WebhookIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useWebhooks } from "@/features/webhooks/use-webhooks";
import { WebhookCard } from "@/features/webhooks/webhook-card";
import { WebhookDialog } from "@/features/webhooks/webhook-dialog";

/** The most endpoints one owner may have (the API refuses the next). */
const MAX_ENDPOINTS = 10;

/** The caller's webhook endpoints: the platform's events, signed, posted to the caller's own systems. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const webhooks = useWebhooks();
  const full = (webhooks.data?.items.length ?? 0) >= MAX_ENDPOINTS;
  return (
    <>
      <PageHeader
        title={t("webhooks.title")}
        description={t("webhooks.description")}
        actions={
          webhooks.data ? (
            <WebhookDialog
              endpoint={null}
              eventTypes={webhooks.data.event_types}
              trigger={
                <Button size="sm" disabled={full} title={full ? t("webhooks.limit", { count: MAX_ENDPOINTS }) : undefined} data-testid="webhook-add">
                  <PlusIcon /> {t("webhooks.add")}
                </Button>
              }
            />
          ) : null
        }
      />
      {webhooks.isPending ? (
        <div className="space-y-4" data-testid="webhooks-loading">
          <Skeleton className="h-48 w-full" />
        </div>
      ) : webhooks.isError ? (
        <Card>
          <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} />
        </Card>
      ) : webhooks.data.items.length === 0 ? (
        <Card data-testid="webhooks-empty">
          <EmptyState icon={WebhookIcon} title={t("webhooks.emptyTitle")} description={t("webhooks.emptyText")} />
        </Card>
      ) : (
        <div className="space-y-4" data-testid="webhooks">
          {webhooks.data.items.map((endpoint) => (
            <WebhookCard key={endpoint.id} endpoint={endpoint} eventTypes={webhooks.data.event_types} />
          ))}
        </div>
      )}
    </>
  );
}
