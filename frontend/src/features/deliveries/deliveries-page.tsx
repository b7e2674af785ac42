import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { StatusTabs } from "@/components/status-tabs";
import { Label } from "@/components/ui/label";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { NoContextState } from "@/features/memberships/no-context-state";
import { FilterSelect } from "@/features/operations/filter-select";
import { OPERATION_STATUSES, type OperationFilters } from "@/features/operations/operation-filters";
import { eventLabel } from "@/features/operations/operation-labels";
import { OperationsTable } from "@/features/operations/operations-table";
import { useOperationFilters } from "@/features/operations/use-operation-filters";
import { deliverySource, REPLAY_DELIVERIES } from "@/features/operations/use-operations";
import { POSTBACK_EVENTS } from "@/features/postbacks/postback-form";

/** The deliveries of postbacks to affiliates: everyone sees its own slice, the server decides which. */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const { filters, setFilter } = useOperationFilters();
  const can = useCan();
  // The affiliate reads its own deliveries within the advertiser it switched to.
  const isAffiliate = can("context:switch");
  const isStaff = can("deliveries:read:any");
  const mayReplay = can(REPLAY_DELIVERIES);
  const query: OperationFilters = {
    status: filters.status,
    event: filters.event,
    advertiser_id: isStaff ? filters.advertiser_id : undefined,
  };
  const filtered = Object.values(query).some((value) => value !== undefined);

  return (
    <>
      <PageHeader
        title={t("deliveries.title")}
        description={
          isAffiliate && context.advertiser_name ? t("deliveries.descriptionIn", { advertiser: context.advertiser_name }) : t("deliveries.description")
        }
      />
      {isAffiliate && !context.advertiser_id ? (
        <NoContextState description={t("deliveries.noContextText")} />
      ) : (
        <>
          <div className="flex flex-wrap items-end gap-3">
            <StatusTabs
              statuses={OPERATION_STATUSES}
              value={filters.status}
              label={(status) => t(`operations.status.${status}`)}
              testIdPrefix="deliveries-filter"
            />
            <FilterSelect
              id="deliveries-event"
              label={t("operations.columns.event")}
              value={filters.event}
              options={POSTBACK_EVENTS}
              optionLabel={(event) => eventLabel(t, event)}
              onChange={(event) => setFilter("event", event)}
              testId="deliveries-event"
            />
            {isStaff ? (
              <div className="grid gap-1.5">
                <Label>{t("advertisers.advertiser")}</Label>
                <AdvertiserPicker value={filters.advertiser_id} onChange={(id) => setFilter("advertiser_id", id)} allowAll testId="deliveries-advertiser" />
              </div>
            ) : null}
          </div>
          <OperationsTable
            source={deliverySource}
            filters={query}
            scope={isAffiliate ? context.advertiser_id : null}
            canReplay={() => mayReplay}
            testId="deliveries-table"
            rowTestId="delivery-row"
            empty={{
              title: t(filtered ? "deliveries.emptyFilteredTitle" : "deliveries.emptyTitle"),
              description: t(filtered ? "deliveries.emptyFilteredText" : isAffiliate ? "deliveries.emptyAffiliateText" : "deliveries.emptyText"),
            }}
          />
        </>
      )}
    </>
  );
}
