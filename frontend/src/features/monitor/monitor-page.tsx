import { useTranslation } from "react-i18next";
import type { Operation } from "@/api/types";
import { PageHeader } from "@/components/page-header";
import { StatusTabs } from "@/components/status-tabs";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { FailureRates } from "@/features/monitor/failure-rates";
import { QueuesCard } from "@/features/monitor/queues-card";
import { useMonitor } from "@/features/monitor/use-monitor";
import { FilterSelect } from "@/features/operations/filter-select";
import { OPERATION_STATUSES, OPERATION_TYPES, type OperationFilters } from "@/features/operations/operation-filters";
import { operationTypeLabel } from "@/features/operations/operation-labels";
import { OperationsTable } from "@/features/operations/operations-table";
import { useOperationFilters } from "@/features/operations/use-operation-filters";
import { monitorSource } from "@/features/operations/use-operations";
import { formatDateTime } from "@/lib/format";

/** Only a failed postback is replayed by hand; a stats batch is retried by its stream. */
const isReplayable = (operation: Operation) => operation.type === "postback" && operation.status === "failed";

/** The orchestrator as owner and platform admin watch it: queues, failure rates, operations. */
export function MonitorPage() {
  const { t, i18n } = useTranslation();
  const monitor = useMonitor();
  const { filters, setFilter } = useOperationFilters();
  const query: OperationFilters = { type: filters.type, status: filters.status, advertiser_id: filters.advertiser_id };
  const filtered = Object.values(query).some((value) => value !== undefined);

  return (
    <>
      <PageHeader
        title={t("monitor.title")}
        description={monitor.data ? t("monitor.updated", { time: formatDateTime(monitor.data.generated_at, i18n.language) }) : t("monitor.description")}
      />
      <QueuesCard queues={monitor.data?.queues} isLoading={monitor.isPending} error={monitor.error} onRetry={() => void monitor.refetch()} />
      {/* The queues card reports a failed load; the rates just wait for the next refresh. */}
      {monitor.data ? (
        <FailureRates rates={monitor.data.rates} />
      ) : monitor.isPending ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Skeleton className="h-48" />
          <Skeleton className="h-48" />
        </div>
      ) : null}
      <section className="space-y-3">
        <h2 className="text-base font-semibold tracking-tight">{t("monitor.operationsTitle")}</h2>
        <div className="flex flex-wrap items-end gap-3">
          <StatusTabs statuses={OPERATION_STATUSES} value={filters.status} label={(status) => t(`operations.status.${status}`)} testIdPrefix="monitor-filter" />
          <FilterSelect
            id="monitor-type"
            label={t("operations.columns.type")}
            value={filters.type}
            options={OPERATION_TYPES}
            optionLabel={(type) => operationTypeLabel(t, type)}
            onChange={(type) => setFilter("type", type)}
            testId="monitor-type"
          />
          <div className="grid gap-1.5">
            <Label>{t("advertisers.advertiser")}</Label>
            <AdvertiserPicker value={filters.advertiser_id} onChange={(id) => setFilter("advertiser_id", id)} allowAll testId="monitor-advertiser" />
          </div>
        </div>
        <OperationsTable
          source={monitorSource}
          filters={query}
          canReplay={isReplayable}
          withType
          testId="monitor-operations"
          rowTestId="monitor-operation-row"
          empty={{
            title: t(filtered ? "monitor.emptyFilteredTitle" : "monitor.emptyTitle"),
            description: t(filtered ? "deliveries.emptyFilteredText" : "monitor.emptyText"),
          }}
        />
      </section>
    </>
  );
}
