import { BuildingIcon, DownloadIcon, FileDownIcon, FileSpreadsheetIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { ExportJob, Summary, SummaryPeriod } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { DownloadExportButton, ExportProgress } from "@/features/stats/export-status";
import { dayLabel, filterValueLabel } from "@/features/stats/stats-labels";
import { FILTER_NAMES, type FilterName } from "@/features/stats/stats-params";
import { useDownloadSummary, useExports, useSummaries } from "@/features/stats/use-exports";
import { filterNames, useFilterChoices } from "@/features/stats/use-filter-choices";
import { useStatsViewer } from "@/features/stats/use-stats";
import { useStatsParams } from "@/features/stats/use-stats-params";
import { formatBytes, formatDateTime } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const PERIODS: readonly SummaryPeriod[] = ["daily", "monthly"];

/** The user's CSV exports with their progress, and the nightly summaries. */
export function ExportsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("exports.title")} description={t("exports.description")} />
      <ExportsCard />
      <SummariesCard />
    </>
  );
}

/** An export's filters by the names the API's filters have (`offer`, `sub1`), as the panel names them. */
function filterName(name: string): FilterName | null {
  const known = name === "offer" || name === "affiliate" ? `${name}_id` : name;
  return (FILTER_NAMES as readonly string[]).includes(known) ? (known as FilterName) : null;
}

function ExportsCard() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const exports = useExports();
  const choices = useFilterChoices(undefined);
  const columns: Column<ExportJob>[] = [
    { id: "created", header: t("exports.columns.created"), cell: (job) => formatDateTime(job.created_at, language), className: "whitespace-nowrap" },
    {
      id: "kind",
      header: t("exports.columns.kind"),
      cell: (job) => (
        <div className="space-y-0.5">
          <div className="font-medium whitespace-nowrap">{t(`exports.kinds.${job.kind}`)}</div>
          {job.kind === "report" ? (
            <div className="text-xs whitespace-nowrap text-muted-foreground">
              {t("exports.groupedBy", { group: t(`stats.groups.${job.group_by}`, { defaultValue: job.group_by }) })}
            </div>
          ) : null}
        </div>
      ),
    },
    {
      id: "range",
      header: t("exports.columns.range"),
      cell: (job) => (
        <div className="space-y-0.5 whitespace-nowrap">
          <div>
            {job.date_from === job.date_to
              ? dayLabel(job.date_from, language, true)
              : `${dayLabel(job.date_from, language, true)} – ${dayLabel(job.date_to, language, true)}`}
          </div>
          <div className="text-xs text-muted-foreground">{job.tz}</div>
        </div>
      ),
    },
    {
      id: "filters",
      header: t("exports.columns.filters"),
      cell: (job) => {
        const entries = Object.entries(job.filters);
        if (entries.length === 0) return <span className="whitespace-nowrap text-muted-foreground">{t("exports.noFilters")}</span>;
        return (
          <div className="flex max-w-72 flex-wrap gap-1">
            {entries.map(([raw, value]) => {
              const name = filterName(raw);
              const label = name ? filterValueLabel(t, language, name, value, filterNames(choices)) : value;
              return (
                <span key={raw} className="rounded-md border px-1.5 py-0.5 text-xs">
                  <span className="text-muted-foreground">{name ? t(`stats.filters.${name}`) : raw}:</span> <UserText value={label} />
                </span>
              );
            })}
          </div>
        );
      },
    },
    { id: "status", header: t("exports.columns.status"), cell: (job) => <ExportProgress job={job} /> },
    {
      id: "size",
      header: t("exports.columns.size"),
      cell: (job) => (job.status === "ready" ? formatBytes(job.size_bytes, language) : "—"),
      className: "text-right whitespace-nowrap tabular-nums",
    },
    {
      id: "download",
      header: <span className="sr-only">{t("exports.download")}</span>,
      cell: (job) => <DownloadExportButton job={job} />,
      className: "text-right",
    },
  ];
  return (
    <Card data-testid="exports">
      <DataTable
        columns={columns}
        rows={exports.data?.items}
        rowKey={(job) => job.id}
        rowTestId={() => "export-row"}
        rowAttributes={(job) => ({ "data-id": job.id, "data-status": job.status, "data-kind": job.kind })}
        isLoading={exports.isPending}
        error={exports.error}
        onRetry={() => void exports.refetch()}
        empty={{ icon: FileDownIcon, title: t("exports.emptyTitle"), description: t("exports.emptyText") }}
      />
    </Card>
  );
}

function SummariesCard() {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const [params, change] = useStatsParams();
  const period: SummaryPeriod = params.get("period") === "monthly" ? "monthly" : "daily";
  const advertiserId = viewer.staff ? (params.get("advertiser_id") ?? undefined) : undefined;
  const ready = viewer.staff ? advertiserId !== undefined : !viewer.needsContext;

  return (
    <Card data-testid="summaries">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1.5">
          <CardTitle>{t("summaries.title")}</CardTitle>
          <CardDescription>{t("summaries.description")}</CardDescription>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {viewer.staff ? <AdvertiserPicker value={advertiserId} onChange={(id) => change({ advertiser_id: id })} testId="summaries-advertiser" /> : null}
          <Tabs value={period} onValueChange={(next) => change({ period: next === "daily" ? undefined : next })}>
            <TabsList>
              {PERIODS.map((value) => (
                <TabsTrigger key={value} value={value} data-testid={`summaries-${value}`}>
                  {t(`summaries.periods.${value}`)}
                </TabsTrigger>
              ))}
            </TabsList>
          </Tabs>
        </div>
      </CardHeader>
      {viewer.staff && !advertiserId ? (
        <EmptyState icon={BuildingIcon} title={t("advertisers.pick")} description={t("summaries.pickText")} className="border-t" />
      ) : viewer.needsContext ? (
        <EmptyState icon={BuildingIcon} title={t("context.noContextTitle")} description={t("summaries.noContextText")} className="border-t" />
      ) : (
        <SummaryTable period={period} advertiserId={advertiserId} scope={viewer.scope} enabled={ready} />
      )}
    </Card>
  );
}

function SummaryTable({
  period,
  advertiserId,
  scope,
  enabled,
}: {
  period: SummaryPeriod;
  advertiserId: string | undefined;
  scope: string | null;
  enabled: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const errorMessage = useErrorMessage();
  const summaries = useSummaries(period, advertiserId, { scope, enabled });
  const download = useDownloadSummary();
  const monthLabel = (day: string) =>
    new Intl.DateTimeFormat(language, { timeZone: "UTC", month: "long", year: "numeric" }).format(new Date(`${day}T00:00:00Z`));
  const columns: Column<Summary>[] = [
    {
      id: "period",
      header: t("summaries.columns.period"),
      cell: (summary) => (
        <span className="font-medium">{summary.period === "monthly" ? monthLabel(summary.date_from) : dayLabel(summary.date_from, language, true)}</span>
      ),
      className: "whitespace-nowrap",
    },
    {
      id: "size",
      header: t("summaries.columns.size"),
      cell: (summary) => formatBytes(summary.size_bytes, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    {
      id: "download",
      header: <span className="sr-only">{t("exports.download")}</span>,
      className: "text-right",
      cell: (summary) => (
        <Button
          size="sm"
          variant="outline"
          disabled={download.isPending && download.variables === summary.key}
          onClick={() => download.mutate(summary.key, { onError: (error) => toast.error(errorMessage(error)) })}
          data-testid="summary-download"
        >
          {download.isPending && download.variables === summary.key ? <Spinner /> : <DownloadIcon />}
          {t("exports.download")}
        </Button>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={summaries.data?.items}
      rowKey={(summary) => summary.key}
      rowTestId={() => "summary-row"}
      rowAttributes={(summary) => ({ "data-key": summary.key })}
      isLoading={summaries.isPending}
      error={summaries.error}
      onRetry={() => void summaries.refetch()}
      empty={{ icon: FileSpreadsheetIcon, title: t("summaries.emptyTitle"), description: t("summaries.emptyText") }}
    />
  );
}
