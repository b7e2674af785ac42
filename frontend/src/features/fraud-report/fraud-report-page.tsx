import { ChevronLeftIcon, ChevronRightIcon, ShieldCheckIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { FraudGroup, FraudReport, FraudRow } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { UserText } from "@/components/user-text";
import {
  countWithShare,
  FLAGS,
  FRAUD_PAGE_SIZE,
  fraudGroupsFor,
  fraudQuery,
  fraudReportFromParams,
  refusalBreakdown,
  seriesValue,
  TREND_SERIES,
  type FraudReportState,
  type TrendSeries,
} from "@/features/fraud-report/fraud-report-format";
import { useFraudReport } from "@/features/fraud-report/use-fraud-report";
import { NoContextState } from "@/features/memberships/no-context-state";
import { OptionSelect } from "@/features/offers/option-select";
import { FilterChips } from "@/features/stats/filter-chips";
import { StatsFilterPanel } from "@/features/stats/stats-filter-panel";
import { dayLabel, groupLabel } from "@/features/stats/stats-labels";
import type { ParamChanges } from "@/features/stats/stats-params";
import { TrendChart, type TrendPoint } from "@/features/stats/trend-chart";
import { filterNames, useFilterChoices } from "@/features/stats/use-filter-choices";
import { useStatsViewer } from "@/features/stats/use-stats";
import { useStatsParams } from "@/features/stats/use-stats-params";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";

/** Traffic quality: how much of the traffic was flagged or refused and why, and what fraud rules did to its conversions. */
export function FraudReportPage() {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const [params, change] = useStatsParams();
  const state = fraudReportFromParams(params, { staff: viewer.staff, affiliate: viewer.affiliate });
  const choices = useFilterChoices(state.scope.advertiserId);

  return (
    <>
      <PageHeader
        title={t("fraudReport.title")}
        description={viewer.contextName ? t("fraudReport.descriptionIn", { advertiser: viewer.contextName }) : t("fraudReport.description")}
      />
      {viewer.needsContext ? (
        <NoContextState description={t("fraudReport.noContextText")} />
      ) : (
        <>
          <StatsFilterPanel scope={state.scope} filters={state.filters} choices={choices} onChange={change} idPrefix="fraud">
            <div className="grid gap-1.5">
              <Label htmlFor="fraud-group">{t("fraudReport.groupBy")}</Label>
              <OptionSelect<FraudGroup>
                id="fraud-group"
                value={state.groupBy}
                onChange={(group) => change({ group_by: group })}
                options={fraudGroupsFor(viewer.affiliate)}
                label={(group) => t(`stats.groups.${group}`)}
                className="w-44"
                testId="fraud-group"
              />
            </div>
          </StatsFilterPanel>
          <FilterChips filters={state.filters} nameOf={filterNames(choices)} onChange={change} />
          <FraudReportBody state={state} scope={viewer.scope} onChange={change} />
        </>
      )}
    </>
  );
}

function FraudReportBody({ state, scope, onChange }: { state: FraudReportState; scope: string | null; onChange: (changes: ParamChanges) => void }) {
  const { t } = useTranslation();
  const report = useFraudReport(fraudQuery(state), { scope });
  if (report.isError) {
    return (
      <Card>
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      </Card>
    );
  }
  const data = report.data;
  if (data && data.totals.requests === 0 && data.totals.arrived_conversions === 0) {
    return (
      <Card>
        <EmptyState icon={ShieldCheckIcon} title={t("fraudReport.emptyTitle")} description={t("fraudReport.emptyText")} />
      </Card>
    );
  }
  return (
    <div
      className={cn("space-y-4", report.isPlaceholderData && "opacity-60 transition-opacity")}
      data-testid="fraud-report"
      data-state={report.isFetching ? "loading" : "ready"}
    >
      <TrendCard
        report={data}
        series={state.series}
        // The trend's series is not a new view of the table: the page of rows stays.
        onSeries={(series) => onChange({ series: series === "requests" ? undefined : series, offset: state.offset ? String(state.offset) : undefined })}
      />
      <QualityTable report={data} state={state} onChange={onChange} />
    </div>
  );
}

function TrendCard({ report, series, onSeries }: { report: FraudReport | undefined; series: TrendSeries; onSeries: (series: TrendSeries) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const points: TrendPoint[] = (report?.trend ?? []).map((day) => ({
    key: day.key,
    value: seriesValue(day, series),
    tick: dayLabel(day.key, language),
    label: dayLabel(day.key, language, true),
  }));
  return (
    <Card data-testid="fraud-trend-card">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1.5">
          <CardTitle>{t("fraudReport.trendTitle")}</CardTitle>
          <CardDescription>{t("fraudReport.trendHint")}</CardDescription>
        </div>
        <Tabs value={series} onValueChange={(value) => onSeries(value as TrendSeries)}>
          <TabsList className="flex-wrap">
            {TREND_SERIES.map((candidate) => (
              <TabsTrigger key={candidate} value={candidate} data-testid={`fraud-series-${candidate}`}>
                {t(`fraudReport.columns.${candidate}`)}
              </TabsTrigger>
            ))}
          </TabsList>
        </Tabs>
      </CardHeader>
      <CardContent>
        {report ? (
          // Every series is a count of clicks or conversions: drawn as plain numbers, like clicks.
          <TrendChart
            points={points}
            metric="clicks"
            currency={null}
            ariaLabel={t("fraudReport.chartLabel", { series: t(`fraudReport.columns.${series}`) })}
            testId="fraud-trend"
          />
        ) : (
          <Skeleton className="h-60 w-full" />
        )}
      </CardContent>
    </Card>
  );
}

const COUNT_COLUMNS = ["requests", "clicks", ...FLAGS, "refused", "held_by_rule", "rejected_by_rule"] as const;

function QualityTable({ report, state, onChange }: { report: FraudReport | undefined; state: FraudReportState; onChange: (changes: ParamChanges) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <Card>
      <div className="border-b px-4 py-2.5 text-sm text-muted-foreground" data-testid="fraud-summary">
        {report ? t("fraudReport.sharesHint") : t("common.loading")}
      </div>
      <Table className="[&_td]:px-3 [&_th]:px-3" data-testid="fraud-table" data-group={state.groupBy}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="min-w-40">{t(`stats.groups.${state.groupBy}`)}</TableHead>
            {COUNT_COLUMNS.map((column) => (
              <TableHead key={column} className="text-right">
                {t(`fraudReport.columns.${column}`)}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {!report
            ? Array.from({ length: 5 }, (_, index) => (
                <TableRow key={index} className="hover:bg-transparent">
                  {[null, ...COUNT_COLUMNS].map((column) => (
                    <TableCell key={column ?? "key"}>
                      <Skeleton className="h-4 w-full max-w-24" />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            : report.rows.map((row) => <QualityRow key={row.key} row={row} label={groupLabel(t, language, report.group_by, row)} testId="fraud-row" />)}
          {report ? <QualityRow row={report.totals} label={t("stats.total")} testId="fraud-totals" total /> : null}
        </TableBody>
      </Table>
      {report && report.total_rows > FRAUD_PAGE_SIZE ? <Pager report={report} onChange={onChange} /> : null}
    </Card>
  );
}

/** A row's cells: counts, each flag and the refusals with their shares, the refusals' reasons beneath. */
function QualityRow({ row, label, testId, total = false }: { row: FraudRow; label: string; testId: string; total?: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const number = (value: number) => formatNumber(value, language);
  const cells: Record<(typeof COUNT_COLUMNS)[number], string> = {
    requests: number(row.requests),
    clicks: number(row.clicks),
    bots: countWithShare(row.flagged.bots, row.flagged_shares.bots, language),
    datacenter: countWithShare(row.flagged.datacenter, row.flagged_shares.datacenter, language),
    flood: countWithShare(row.flagged.flood, row.flagged_shares.flood, language),
    duplicate: countWithShare(row.flagged.duplicate, row.flagged_shares.duplicate, language),
    refused: countWithShare(row.refused, row.refused_share, language),
    held_by_rule: number(row.held_by_rule),
    rejected_by_rule: number(row.rejected_by_rule),
  };
  const reasons = refusalBreakdown(t, row, language);
  return (
    <TableRow data-testid={testId} data-key={row.key} className={cn(total && "border-t-2 bg-muted/40 font-semibold hover:bg-muted/40")}>
      <TableCell className="font-medium whitespace-nowrap">
        <UserText value={label} />
      </TableCell>
      {COUNT_COLUMNS.map((column) => (
        <TableCell key={column} className="text-right align-top whitespace-nowrap tabular-nums" data-column={column}>
          {cells[column]}
          {column === "refused" && reasons.length > 0 ? (
            <ul className="mt-1 space-y-0.5 text-xs font-normal text-muted-foreground" data-testid="fraud-reasons">
              {reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </TableCell>
      ))}
    </TableRow>
  );
}

function Pager({ report, onChange }: { report: FraudReport; onChange: (changes: ParamChanges) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const last = Math.min(report.offset + report.rows.length, report.total_rows);
  const goTo = (offset: number) => onChange({ offset: offset > 0 ? String(offset) : undefined });
  return (
    <div className="flex items-center justify-end gap-3 border-t px-4 py-2.5 text-sm">
      <span className="text-muted-foreground tabular-nums">
        {t("reports.pageInfo", {
          first: formatNumber(report.offset + 1, language),
          last: formatNumber(last, language),
          total: formatNumber(report.total_rows, language),
        })}
      </span>
      <Button
        variant="outline"
        size="icon-sm"
        disabled={report.offset === 0}
        onClick={() => goTo(Math.max(0, report.offset - FRAUD_PAGE_SIZE))}
        aria-label={t("reports.previous")}
      >
        <ChevronLeftIcon />
      </Button>
      <Button
        variant="outline"
        size="icon-sm"
        disabled={last >= report.total_rows}
        onClick={() => goTo(report.offset + FRAUD_PAGE_SIZE)}
        aria-label={t("reports.next")}
      >
        <ChevronRightIcon />
      </Button>
    </div>
  );
}
