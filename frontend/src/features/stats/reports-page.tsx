import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, ChevronLeftIcon, ChevronRightIcon, Columns3Icon, FileChartColumnIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { StatsGroup, StatsReport, StatsRow, StatsSort } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { UserText } from "@/components/user-text";
import { NoContextState } from "@/features/memberships/no-context-state";
import { OptionSelect } from "@/features/offers/option-select";
import { ExportButton } from "@/features/stats/export-status";
import { FilterChips } from "@/features/stats/filter-chips";
import { columnChoices, columnKey, columnsParam, visibleColumns, type ReportColumn } from "@/features/stats/report-columns";
import { StatsFilterPanel } from "@/features/stats/stats-filter-panel";
import { formatEpcMap, formatMoneyMap, formatPercentValue, formatRoiMap } from "@/features/stats/stats-format";
import { groupLabel } from "@/features/stats/stats-labels";
import {
  activeFilters,
  exportRequest,
  GROUPS,
  nextSort,
  PAGE_SIZES,
  reportFromParams,
  reportOrder,
  reportQuery,
  type ParamChanges,
  type ReportState,
} from "@/features/stats/stats-params";
import { filterNames, useFilterChoices } from "@/features/stats/use-filter-choices";
import { isQueryEnd, isRunning } from "@/features/stats/report-query";
import { ReportQueryEnded, ReportQueryProgress } from "@/features/stats/report-query-panel";
import { useCancelReportQuery, useStatsReport, useStatsViewer } from "@/features/stats/use-stats";
import { useStatsParams } from "@/features/stats/use-stats-params";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** The report builder: every filter, grouping, order and page lives in the URL, so a report is a link. */
export function ReportsPage() {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const [params, change] = useStatsParams();
  const state = reportFromParams(params, { staff: viewer.staff });
  const choices = useFilterChoices(state.scope.advertiserId);
  // Grouping by advertiser only means something across advertisers.
  const groups = GROUPS.filter((group) => group !== "advertiser" || viewer.staff);
  const request = exportRequest("report", state.scope, state.filters, {
    group_by: state.groupBy,
    ...(state.sort ? { sort: state.sort } : {}),
    ...(state.desc !== undefined ? { desc: state.desc } : {}),
  });

  return (
    <>
      <PageHeader
        title={t("reports.title")}
        description={viewer.contextName ? t("reports.descriptionIn", { advertiser: viewer.contextName }) : t("reports.description")}
        actions={viewer.needsContext ? null : <ExportButton request={request} />}
      />
      {viewer.needsContext ? (
        <NoContextState description={t("reports.noContextText")} />
      ) : (
        <>
          <StatsFilterPanel scope={state.scope} filters={state.filters} choices={choices} onChange={change} idPrefix="reports">
            <div className="grid gap-1.5">
              <Label htmlFor="reports-group">{t("reports.groupBy")}</Label>
              <OptionSelect<StatsGroup>
                id="reports-group"
                value={state.groupBy}
                // Each grouping has its own natural order: the server's default for it.
                onChange={(group) => change({ group_by: group === "day" ? undefined : group, sort: undefined, desc: undefined })}
                options={groups}
                label={(group) => t(`stats.groups.${group}`)}
                className="w-44"
                testId="reports-group"
              />
            </div>
          </StatsFilterPanel>
          <FilterChips filters={state.filters} nameOf={filterNames(choices)} onChange={change} />
          <ReportTable
            state={state}
            columns={visibleColumns(params.get("cols"), viewer.seesRevenue)}
            seesRevenue={viewer.seesRevenue}
            scope={viewer.scope}
            onChange={change}
          />
        </>
      )}
    </>
  );
}

type MetricCell = (row: StatsRow) => string;

/** The report builder shows one report: changing it stops the previous one's query if it still runs. */
const REPORT_SLOT = "reports";

function metricColumns(language: string): Record<ReportColumn, MetricCell> {
  const number = (value: number) => formatNumber(value, language);
  return {
    clicks: (row) => number(row.clicks),
    unique: (row) => number(row.unique),
    bots: (row) => number(row.bots),
    flood: (row) => number(row.flood),
    datacenter: (row) => number(row.datacenter),
    blocked: (row) => number(row.blocked),
    leads: (row) => number(row.leads),
    sales: (row) => number(row.sales),
    conversions: (row) => number(row.conversions),
    hold: (row) => number(row.hold),
    rejected: (row) => number(row.rejected),
    cr: (row) => formatPercentValue(row.cr, language),
    payout: (row) => formatMoneyMap(row.payout, language),
    epc: (row) => formatEpcMap(row.epc, language),
    cpc_clicks: (row) => number(row.cpc_clicks),
    cpc_payout: (row) => formatMoneyMap(row.cpc_payout, language),
    revenue: (row) => formatMoneyMap(row.revenue, language),
    profit: (row) => formatMoneyMap(row.profit, language),
    roi: (row) => formatRoiMap(row.roi, language),
  };
}

type ReportTableProps = { state: ReportState; columns: ReportColumn[]; seesRevenue: boolean; scope: string | null; onChange: (changes: ParamChanges) => void };

function ReportTable({ state, columns, seesRevenue, scope, onChange }: ReportTableProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const query = reportQuery(state);
  const report = useStatsReport(query, { scope, slot: REPORT_SLOT });
  const cancel = useCancelReportQuery(query, scope);
  const errorMessage = useErrorMessage();
  const data = report.data;
  // A query of the analytics engine still counting: its answer has no rows yet.
  const running = isRunning(data);
  const cells = metricColumns(language);
  // From the URL, not the answer: the previous answer stays on screen while a new order loads.
  const order = reportOrder(state);
  const sortBy = (column: StatsSort) => {
    const next = nextSort(order, column);
    onChange({ sort: next.sort, desc: next.desc ? "1" : "0" });
  };

  return (
    <Card
      data-testid="report"
      aria-busy={report.isFetching}
      // What the page asks for and whether the table shows its answer yet, for tests.
      data-state={report.isPlaceholderData ? "loading" : running ? "running" : report.isFetching ? "loading" : "ready"}
      data-range={state.scope.choice}
      data-filters={activeFilters(state.filters)
        .map(([name, value]) => `${name}=${value}`)
        .join("&")}
    >
      <div className="flex flex-wrap items-center gap-2 border-b px-4 py-2.5">
        <span className="mr-auto text-sm text-muted-foreground" data-testid="report-summary">
          {data && !running ? t("reports.rowsFound", { count: data.total_rows, rows: formatNumber(data.total_rows, language) }) : t("common.loading")}
        </span>
        <ColumnChooser columns={columns} seesRevenue={seesRevenue} onChange={(next) => onChange({ cols: columnsParam(next) })} />
      </div>
      {report.isError && isQueryEnd(report.error) ? (
        <ReportQueryEnded error={report.error} starting={report.isFetching} onRunAgain={() => void report.refetch()} />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : running ? (
        <ReportQueryProgress
          // A changed report's previous answer tells nothing about the new query.
          query={report.isPlaceholderData ? null : (data?.query ?? null)}
          cancelling={cancel.isPending}
          onCancel={(queryId) => cancel.mutate(queryId, { onError: (error) => toast.error(errorMessage(error)) })}
        />
      ) : data && data.total_rows === 0 ? (
        <EmptyState icon={FileChartColumnIcon} title={t("reports.emptyTitle")} description={t("reports.emptyText")} />
      ) : (
        <Table className="[&_td]:px-3 [&_th]:px-3" data-testid="report-table" data-group={state.groupBy} data-sort={order.sort} data-desc={order.desc}>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <SortHead column="key" order={order} onSort={sortBy} className="min-w-40">
                {t(`stats.groups.${state.groupBy}`)}
              </SortHead>
              {columns.map((column) => (
                <SortHead key={column} column={column} order={order} onSort={sortBy} className="text-right">
                  {t(columnKey(column))}
                </SortHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody className={cn(report.isPlaceholderData && "opacity-60 transition-opacity")}>
            {!data
              ? Array.from({ length: 6 }, (_, index) => (
                  <TableRow key={index} className="hover:bg-transparent">
                    {[null, ...columns].map((column) => (
                      <TableCell key={column ?? "key"}>
                        <Skeleton className="h-4 w-full max-w-28" />
                      </TableCell>
                    ))}
                  </TableRow>
                ))
              : data.rows.map((row) => (
                  <TableRow key={row.key} data-testid="report-row" data-key={row.key}>
                    <TableCell className="font-medium whitespace-nowrap" data-testid="report-key">
                      <UserText value={groupLabel(t, language, data.group_by, row)} />
                    </TableCell>
                    {columns.map((column) => (
                      <TableCell key={column} className="text-right whitespace-nowrap tabular-nums" data-column={column}>
                        {cells[column](row)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
            {data ? <TotalsRow report={data} columns={columns} cells={cells} /> : null}
          </TableBody>
        </Table>
      )}
      {data && !running && data.total_rows > 0 ? <Pager report={data} state={state} onChange={onChange} /> : null}
    </Card>
  );
}

function TotalsRow({ report, columns, cells }: { report: StatsReport; columns: ReportColumn[]; cells: Record<ReportColumn, MetricCell> }) {
  const { t } = useTranslation();
  return (
    <TableRow className="border-t-2 bg-muted/40 font-semibold hover:bg-muted/40" data-testid="report-totals">
      <TableCell>{t("stats.total")}</TableCell>
      {columns.map((column) => (
        <TableCell key={column} className="text-right whitespace-nowrap tabular-nums" data-testid={`report-total-${column}`}>
          {cells[column](report.totals)}
        </TableCell>
      ))}
    </TableRow>
  );
}

type SortHeadProps = {
  column: StatsSort;
  order: { sort: StatsSort; desc: boolean };
  onSort: (column: StatsSort) => void;
  className?: string;
  children: ReactNode;
};

/** A column's header that orders the report by it (on the server, over every page). */
function SortHead({ column, order, onSort, className, children }: SortHeadProps) {
  const { t } = useTranslation();
  const active = order.sort === column;
  const Icon = !active ? ArrowUpDownIcon : order.desc ? ArrowDownIcon : ArrowUpIcon;
  return (
    <TableHead className={className} aria-sort={active ? (order.desc ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className={cn(
          "inline-flex items-center gap-1 rounded-sm hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:outline-none",
          active && "text-foreground",
        )}
        onClick={() => onSort(column)}
        title={t("reports.sortBy")}
        data-testid={`report-sort-${column}`}
      >
        {children}
        <Icon className={cn("size-3.5", !active && "opacity-40")} />
      </button>
    </TableHead>
  );
}

function ColumnChooser({ columns, seesRevenue, onChange }: { columns: ReportColumn[]; seesRevenue: boolean; onChange: (columns: ReportColumn[]) => void }) {
  const { t } = useTranslation();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" data-testid="report-columns">
          <Columns3Icon /> {t("reports.columns")}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="max-h-96 overflow-y-auto">
        <DropdownMenuLabel>{t("reports.columnsHint")}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {columnChoices(seesRevenue).map((column) => (
          <DropdownMenuCheckboxItem
            key={column}
            checked={columns.includes(column)}
            onCheckedChange={(checked) => onChange(checked ? [...columns, column] : columns.filter((shown) => shown !== column))}
            onSelect={(event) => event.preventDefault()}
            data-testid={`report-column-${column}`}
          >
            {t(columnKey(column))}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function Pager({ report, state, onChange }: { report: StatsReport; state: ReportState; onChange: (changes: ParamChanges) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const first = report.offset + 1;
  const last = Math.min(report.offset + report.rows.length, report.total_rows);
  const goTo = (offset: number) => onChange({ offset: offset > 0 ? String(offset) : undefined });
  return (
    <div className="flex flex-wrap items-center justify-end gap-3 border-t px-4 py-2.5 text-sm">
      <div className="flex items-center gap-2">
        <Label htmlFor="reports-page-size" className="font-normal text-muted-foreground">
          {t("reports.rowsPerPage")}
        </Label>
        <OptionSelect<string>
          id="reports-page-size"
          value={String(state.limit)}
          onChange={(limit) => onChange({ limit: limit === "50" ? undefined : limit })}
          options={[...new Set([...PAGE_SIZES.map(String), String(state.limit)])]}
          label={(limit) => limit}
          className="h-8 w-20"
          testId="reports-page-size"
        />
      </div>
      <span className="text-muted-foreground tabular-nums" data-testid="report-page-info">
        {t("reports.pageInfo", { first: formatNumber(first, language), last: formatNumber(last, language), total: formatNumber(report.total_rows, language) })}
      </span>
      <div className="flex gap-1">
        <Button
          variant="outline"
          size="icon-sm"
          disabled={report.offset === 0}
          onClick={() => goTo(Math.max(0, report.offset - state.limit))}
          aria-label={t("reports.previous")}
          data-testid="report-prev"
        >
          <ChevronLeftIcon />
        </Button>
        <Button
          variant="outline"
          size="icon-sm"
          disabled={last >= report.total_rows}
          onClick={() => goTo(report.offset + state.limit)}
          aria-label={t("reports.next")}
          data-testid="report-next"
        >
          <ChevronRightIcon />
        </Button>
      </div>
    </div>
  );
}
