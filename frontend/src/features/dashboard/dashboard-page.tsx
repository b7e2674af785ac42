import { ChartLineIcon, FileChartColumnIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { StatsGroup, StatsReport, StatsRow } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { KpiCards } from "@/features/dashboard/kpi-cards";
import { NoContextState } from "@/features/memberships/no-context-state";
import { countryName } from "@/features/offers/countries";
import { BarList, type Bar } from "@/features/stats/bar-list";
import { fillSeries, seriesKeys } from "@/features/stats/chart-scale";
import { DateRangePicker } from "@/features/stats/date-range-picker";
import { FilterChips } from "@/features/stats/filter-chips";
import { CHART_METRICS, formatMoneyMap, formatPercentValue, metricValue, primaryCurrency, type ChartMetric } from "@/features/stats/stats-format";
import { dayLabel, hourLabel, isBlankKey } from "@/features/stats/stats-labels";
import {
  filtersFromParams,
  scopeFromParams,
  statsQuery,
  withParams,
  type FilterName,
  type ParamChanges,
  type StatsFilters,
  type StatsScope,
} from "@/features/stats/stats-params";
import { TrendChart, type TrendPoint } from "@/features/stats/trend-chart";
import { useStatsReport, useStatsViewer, type StatsViewer } from "@/features/stats/use-stats";
import { useStatsParams } from "@/features/stats/use-stats-params";
import { formatNumber } from "@/lib/format";

const TOP = 8;

/** The period at a glance: headline figures, the trend, the top offers and countries; a click on one filters everything by it. */
export function DashboardPage() {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const [params, change] = useStatsParams();
  const scope = scopeFromParams(params, { staff: viewer.staff });

  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={viewer.contextName ? t("dashboard.descriptionIn", { advertiser: viewer.contextName }) : t("dashboard.description")}
        actions={
          viewer.staff ? (
            <AdvertiserPicker
              value={scope.advertiserId}
              onChange={(id) => change({ advertiser_id: id, offer_id: undefined, affiliate_id: undefined })}
              allowAll
              testId="dashboard-advertiser"
            />
          ) : null
        }
      />
      {viewer.needsContext ? (
        <NoContextState description={t("dashboard.noContextText")} />
      ) : (
        <DashboardBody scope={scope} filters={filtersFromParams(params)} metricParam={params.get("metric")} params={params} change={change} viewer={viewer} />
      )}
    </>
  );
}

type BodyProps = {
  scope: StatsScope;
  filters: StatsFilters;
  metricParam: string | null;
  params: URLSearchParams;
  change: (changes: ParamChanges) => void;
  viewer: StatsViewer;
};

function DashboardBody({ scope, filters, metricParam, params, change, viewer }: BodyProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const base = statsQuery(scope, filters);
  const timeGroup: StatsGroup = scope.from === scope.to ? "hour" : "day";
  const options = { scope: viewer.scope };
  const trend = useStatsReport({ ...base, group_by: timeGroup, limit: 1000 }, options);
  const topOffers = useStatsReport({ ...base, group_by: "offer", sort: "clicks", desc: "true", limit: TOP }, options);
  const topCountries = useStatsReport({ ...base, group_by: "country", sort: "clicks", desc: "true", limit: TOP }, options);

  const metrics = CHART_METRICS.filter((metric) => viewer.seesRevenue || metric !== "revenue");
  const metric = metrics.find((candidate) => candidate === metricParam) ?? "clicks";
  // Offer names come with the top offers; a filtered offer is the only one there.
  const nameOf = (name: FilterName, id: string) => (name === "offer_id" ? (topOffers.data?.rows.find((row) => row.key === id)?.label ?? id) : id);
  const toggle = (name: FilterName, key: string) => change({ [name]: filters[name] === key ? undefined : key });
  const reportLink = withParams(params, { metric: undefined, group_by: timeGroup });

  if (trend.isError) {
    return (
      <Card>
        <ErrorState error={trend.error} onRetry={() => void trend.refetch()} />
      </Card>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <DateRangePicker range={scope} onChange={change} idPrefix="dashboard" />
        <p className="pb-2 text-xs text-muted-foreground" data-testid="dashboard-scope">
          {scope.advertiserId === undefined && viewer.staff ? `${t("advertisers.all")} · ` : ""}
          {t("dashboard.timeZone", { zone: scope.tz })}
        </p>
        <Button asChild variant="outline" size="sm" className="ml-auto">
          <Link to={`/reports?${reportLink.toString()}`} data-testid="dashboard-open-report">
            <FileChartColumnIcon /> {t("dashboard.openReport")}
          </Link>
        </Button>
      </div>
      <FilterChips filters={filters} nameOf={nameOf} onChange={change} />
      <KpiCards totals={trend.data?.totals} seesRevenue={viewer.seesRevenue} />
      <TrendCard
        report={trend.data}
        timeGroup={timeGroup}
        scope={scope}
        metric={metric}
        metrics={metrics}
        onMetric={(next) => change({ metric: next === "clicks" ? undefined : next })}
        fetching={trend.isFetching}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <TopCard
          title={t("dashboard.topOffers")}
          testId="top-offers"
          report={topOffers.data}
          error={topOffers.error}
          onRetry={() => void topOffers.refetch()}
          bars={(rows) => rows.map((row) => bar(row, row.label || row.key, language))}
          selected={filters.offer_id}
          onSelect={(key) => toggle("offer_id", key)}
        />
        <TopCard
          title={t("dashboard.topCountries")}
          testId="top-countries"
          report={topCountries.data}
          error={topCountries.error}
          onRetry={() => void topCountries.refetch()}
          bars={(rows) => rows.map((row) => bar(row, isBlankKey(row.key) ? t("stats.noValue") : `${row.key} · ${countryName(row.key, language)}`, language))}
          selected={filters.country}
          onSelect={(key) => toggle("country", key)}
        />
      </div>
    </div>
  );
}

function bar(row: StatsRow, label: string, language: string): Bar {
  return { key: row.key, label, value: row.clicks, display: formatNumber(row.clicks, language), inert: isBlankKey(row.key) };
}

type TrendCardProps = {
  report: StatsReport | undefined;
  timeGroup: StatsGroup;
  scope: StatsScope;
  metric: ChartMetric;
  metrics: ChartMetric[];
  onMetric: (metric: ChartMetric) => void;
  fetching: boolean;
};

function TrendCard({ report, timeGroup, scope, metric, metrics, onMetric, fetching }: TrendCardProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const hourly = timeGroup === "hour";
  const currency = primaryCurrency(report?.totals);
  const quiet = report !== undefined && report.totals.clicks === 0 && report.totals.conversions === 0 && report.totals.blocked === 0;
  const points: TrendPoint[] = report
    ? fillSeries(seriesKeys(scope.from, scope.to, hourly ? "hour" : "day"), report.rows, (row) => metricValue(row, metric, currency)).map(({ key, value }) => ({
        key,
        value,
        tick: hourly ? hourLabel(key, language) : dayLabel(key, language),
        label: hourly ? hourLabel(key, language, true) : dayLabel(key, language, true),
      }))
    : [];
  const money = metric === "payout" || metric === "revenue";

  return (
    <Card data-testid="trend-card" aria-busy={fetching} data-state={fetching ? "loading" : "ready"}>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1.5">
          <CardTitle>{t(hourly ? "dashboard.trendByHour" : "dashboard.trendByDay")}</CardTitle>
          <CardDescription>{money && currency ? t("dashboard.inCurrency", { currency }) : t("dashboard.trendHint")}</CardDescription>
        </div>
        <Tabs value={metric} onValueChange={(value) => onMetric(value as ChartMetric)}>
          <TabsList>
            {metrics.map((candidate) => (
              <TabsTrigger key={candidate} value={candidate} data-testid={`trend-metric-${candidate}`}>
                {t(`stats.metrics.${candidate}`)}
              </TabsTrigger>
            ))}
          </TabsList>
        </Tabs>
      </CardHeader>
      <CardContent className="space-y-4">
        {!report ? (
          <Skeleton className="h-60 w-full" data-testid="trend-loading" />
        ) : quiet ? (
          <EmptyState icon={ChartLineIcon} title={t("dashboard.emptyTitle")} description={t("dashboard.emptyText")} className="py-10" />
        ) : (
          <>
            <TrendChart points={points} metric={metric} currency={currency} ariaLabel={t("dashboard.chartLabel", { metric: t(`stats.metrics.${metric}`) })} />
            <PeriodTable report={report} hourly={hourly} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** The rows behind the chart, newest first: each day (or hour) with its main figures. */
function PeriodTable({ report, hourly }: { report: StatsReport; hourly: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const number = (value: number) => formatNumber(value, language);
  const seesRevenue = report.totals.revenue !== null;
  const columns: Column<StatsRow>[] = [
    {
      id: "key",
      header: t(hourly ? "stats.groups.hour" : "stats.groups.day"),
      cell: (row) => (hourly ? hourLabel(row.key, language, true) : dayLabel(row.key, language, true)),
      className: "whitespace-nowrap",
    },
    { id: "clicks", header: t("stats.metrics.clicks"), cell: (row) => number(row.clicks), className: "text-right tabular-nums" },
    { id: "unique", header: t("stats.metrics.unique"), cell: (row) => number(row.unique), className: "text-right tabular-nums" },
    { id: "conversions", header: t("stats.metrics.conversions"), cell: (row) => number(row.conversions), className: "text-right tabular-nums" },
    { id: "cr", header: t("stats.metrics.cr"), cell: (row) => formatPercentValue(row.cr, language), className: "text-right tabular-nums" },
    {
      id: "payout",
      header: t("stats.metrics.payout"),
      cell: (row) => formatMoneyMap(row.payout, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    ...(seesRevenue
      ? [
          {
            id: "revenue",
            header: t("stats.metrics.revenue"),
            cell: (row: StatsRow) => formatMoneyMap(row.revenue, language),
            className: "text-right tabular-nums whitespace-nowrap",
          },
        ]
      : []),
  ];
  const rows = [...report.rows].reverse();
  return (
    <div className="max-h-72 overflow-y-auto rounded-md border" data-testid="period-table">
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(row) => row.key}
        rowTestId={() => "period-row"}
        rowAttributes={(row) => ({ "data-key": row.key })}
        isLoading={false}
        error={null}
        empty={{ icon: ChartLineIcon, title: t("dashboard.emptyTitle") }}
      />
    </div>
  );
}

type TopCardProps = {
  title: string;
  testId: string;
  report: StatsReport | undefined;
  error: unknown;
  onRetry: () => void;
  bars: (rows: StatsRow[]) => Bar[];
  selected: string | undefined;
  onSelect: (key: string) => void;
};

function TopCard({ title, testId, report, error, onRetry, bars, selected, onSelect }: TopCardProps) {
  const { t } = useTranslation();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{t("dashboard.topHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        {error ? (
          <ErrorState error={error} onRetry={onRetry} />
        ) : !report ? (
          <div className="space-y-1.5" data-testid={`${testId}-loading`}>
            {Array.from({ length: 5 }, (_, index) => (
              <Skeleton key={index} className="h-8 w-full" />
            ))}
          </div>
        ) : report.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-muted-foreground" data-testid={testId} data-count={0}>
            {t("dashboard.topEmpty")}
          </p>
        ) : (
          <BarList bars={bars(report.rows)} selected={selected} onSelect={onSelect} testId={testId} />
        )}
      </CardContent>
    </Card>
  );
}
