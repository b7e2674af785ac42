import { ArrowLeftIcon } from "lucide-react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { UserText } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { OperationsTable } from "@/features/operations/operations-table";
import { REPLAY_DELIVERIES } from "@/features/operations/use-operations";
import { useWebhooks, webhookDeliverySource } from "@/features/webhooks/use-webhooks";

/** One endpoint's deliveries, newest first, in the delivery log's table: each opens its attempts. */
export function WebhookDeliveriesPage() {
  const { t } = useTranslation();
  const { endpointId = "" } = useParams();
  const can = useCan();
  const mayReplay = can(REPLAY_DELIVERIES);
  const source = useMemo(() => webhookDeliverySource(endpointId), [endpointId]);
  const endpoint = useWebhooks().data?.items.find((item) => item.id === endpointId);
  return (
    <>
      <PageHeader
        title={t("webhooks.deliveriesTitle")}
        description={endpoint ? <UserText value={endpoint.url} className="font-mono text-xs break-all" /> : undefined}
        actions={
          <Button variant="outline" size="sm" asChild>
            <Link to="/webhooks" data-testid="webhook-deliveries-back">
              <ArrowLeftIcon /> {t("webhooks.backToList")}
            </Link>
          </Button>
        }
      />
      <OperationsTable
        source={source}
        filters={{}}
        scope={endpointId}
        canReplay={() => mayReplay}
        testId="webhook-deliveries-table"
        rowTestId="delivery-row"
        empty={{ title: t("webhooks.deliveriesEmptyTitle"), description: t("webhooks.deliveriesEmptyText") }}
      />
    </>
  );
}
