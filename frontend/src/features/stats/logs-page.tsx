import { ChevronLeftIcon, ChevronRightIcon, ChevronsLeftIcon, MousePointerClickIcon, ReceiptTextIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { ClickLogRow, Conversion, ConversionStatus } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { UserText } from "@/components/user-text";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ClickLink } from "@/features/clicks/click-link";
import { ClickSearch } from "@/features/clicks/click-page";
import { refusalLabel } from "@/features/clicks/click-quality";
import { ConversionStatusCell } from "@/features/conversions/conversion-badges";
import { formatConversionMoney, goalLabel } from "@/features/conversions/conversion-format";
import { NoContextState } from "@/features/memberships/no-context-state";
import { FilterSelect } from "@/features/operations/filter-select";
import { ExportButton } from "@/features/stats/export-status";
import { FilterChips } from "@/features/stats/filter-chips";
import { StatsFilterPanel } from "@/features/stats/stats-filter-panel";
import { deviceLabel } from "@/features/stats/stats-labels";
import {
  exportRequest,
  LOG_STATUSES,
  LOGS,
  logFromParams,
  logQuery,
  SUB_NAMES,
  withNextPage,
  withParams,
  withPreviousPage,
  type LogState,
} from "@/features/stats/stats-params";
import { filterNames, nameOf, useFilterChoices, type FilterChoices } from "@/features/stats/use-filter-choices";
import { useClickLog, useConversionLog, useStatsViewer, type StatsViewer } from "@/features/stats/use-stats";
import { useStatsParams } from "@/features/stats/use-stats-params";
import { showBidiControls } from "@/lib/bidi";
import { formatDateTime } from "@/lib/format";

const PAGE_SIZE = 50;

/** The clicks and conversions behind the reports, newest first, filtered like them; a click opens its story. */
export function LogsPage() {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const [params, change] = useStatsParams();
  const state = logFromParams(params, { staff: viewer.staff });
  const choices = useFilterChoices(state.scope.advertiserId);
  const request = exportRequest(state.log, state.scope, state.filters, state.status ? { status: state.status } : {});

  return (
    <>
      <PageHeader
        title={t("logs.title")}
        description={viewer.contextName ? t("logs.descriptionIn", { advertiser: viewer.contextName }) : t("logs.description")}
        actions={viewer.needsContext ? null : <ExportButton request={request} />}
      />
      <ClickSearch initial="" />
      {viewer.needsContext ? (
        <NoContextState description={t("logs.noContextText")} />
      ) : (
        <>
          <Tabs value={state.log} onValueChange={(log) => change({ log: log === "clicks" ? undefined : log, status: undefined })}>
            <TabsList>
              {LOGS.map((log) => (
                <TabsTrigger key={log} value={log} data-testid={`logs-tab-${log}`}>
                  {log === "clicks" ? <MousePointerClickIcon className="size-4" /> : <ReceiptTextIcon className="size-4" />}
                  {t(`logs.tabs.${log}`)}
                </TabsTrigger>
              ))}
            </TabsList>
          </Tabs>
          <StatsFilterPanel scope={state.scope} filters={state.filters} choices={choices} onChange={change} idPrefix="logs">
            {state.log === "conversions" ? (
              <FilterSelect<ConversionStatus>
                id="logs-status"
                label={t("conversions.columns.status")}
                value={state.status}
                options={LOG_STATUSES}
                optionLabel={(status) => t(`conversions.status.${status}`)}
                onChange={(status) => change({ status })}
                testId="logs-status"
              />
            ) : null}
          </StatsFilterPanel>
          <FilterChips filters={state.filters} nameOf={filterNames(choices)} onChange={change} />
          {state.log === "clicks" ? <ClickLogTable state={state} viewer={viewer} choices={choices} /> : <ConversionLogTable state={state} viewer={viewer} />}
        </>
      )}
    </>
  );
}

const filtered = (state: LogState) => Object.keys(state.filters).length > 0 || state.status !== undefined;

function ClickLogTable({ state, viewer, choices }: { state: LogState; viewer: StatsViewer; choices: FilterChoices }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const log = useClickLog(logQuery(state, PAGE_SIZE), { scope: viewer.scope });
  const acrossAdvertisers = viewer.staff && !state.scope.advertiserId;
  const columns: Column<ClickLogRow>[] = [
    { id: "time", header: t("logs.columns.time"), cell: (row) => formatDateTime(row.created_at, language), className: "whitespace-nowrap" },
    { id: "click", header: t("logs.columns.click"), cell: (row) => <ClickLink clickId={row.click_id} /> },
    ...(acrossAdvertisers
      ? [
          {
            id: "advertiser",
            header: t("logs.columns.advertiser"),
            cell: (row: ClickLogRow) => <UserText value={nameOf(choices.advertisers, row.advertiser_id)} />,
          },
        ]
      : []),
    {
      id: "offer",
      header: t("logs.columns.offer"),
      cell: (row) => <UserText value={nameOf(choices.offers, row.offer_id)} className="font-medium" />,
      className: "whitespace-nowrap",
    },
    ...(viewer.affiliate
      ? []
      : [
          {
            id: "affiliate",
            header: t("logs.columns.affiliate"),
            cell: (row: ClickLogRow) => <UserText value={nameOf(choices.affiliates, row.affiliate_id)} />,
            className: "whitespace-nowrap",
          },
        ]),
    { id: "country", header: t("logs.columns.country"), cell: (row) => <span className="font-mono text-xs">{row.country || "—"}</span> },
    {
      id: "device",
      header: t("logs.columns.device"),
      cell: (row) => (
        <div className="space-y-0.5 whitespace-nowrap">
          <div>{deviceLabel(t, row.device)}</div>
          <div className="text-xs text-muted-foreground">
            <UserText value={row.os} /> · <UserText value={row.browser} />
          </div>
        </div>
      ),
    },
    { id: "subs", header: t("logs.columns.subs"), cell: (row) => <Subs subs={row.subs} /> },
    {
      id: "outcome",
      header: t("logs.columns.outcome"),
      cell: (row) => (
        <div className="flex gap-1">
          {row.reason ? (
            <Badge variant="destructive">{t("logs.refused", { reason: refusalLabel(t, row.reason) })}</Badge>
          ) : (
            <Badge variant="success">{t("logs.landed")}</Badge>
          )}
          {/* Being unique is the norm: only the suspect signs are worth a badge. */}
          {row.flags
            .filter((flag) => flag !== "unique")
            .map((flag) => (
              <Badge key={flag} variant="warning" data-testid={`click-flag-${flag}`}>
                {t(`logs.flags.${flag}`, { defaultValue: flag })}
              </Badge>
            ))}
        </div>
      ),
    },
  ];
  return (
    <Card data-testid="click-log" data-state={log.isFetching ? "loading" : "ready"}>
      <DataTable
        columns={columns}
        rows={log.data?.items}
        rowKey={(row) => row.click_id}
        rowTestId={() => "click-log-row"}
        rowAttributes={(row) => ({ "data-click-id": row.click_id, "data-country": row.country, "data-flags": row.flags.join(" ") })}
        isLoading={log.isPending}
        error={log.error}
        onRetry={() => void log.refetch()}
        empty={{
          icon: MousePointerClickIcon,
          title: t(filtered(state) ? "logs.emptyFilteredTitle" : "logs.emptyClicksTitle"),
          description: t(filtered(state) ? "logs.emptyFilteredText" : "logs.emptyText"),
        }}
      />
      <CursorPager state={state} nextCursor={log.data?.next_cursor ?? null} fetching={log.isFetching} />
    </Card>
  );
}

function ConversionLogTable({ state, viewer }: { state: LogState; viewer: StatsViewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const log = useConversionLog(logQuery(state, PAGE_SIZE), { scope: viewer.scope });
  const money = (amount: string | null, row: Conversion) => formatConversionMoney(amount, row.currency, language);
  const columns: Column<Conversion>[] = [
    { id: "time", header: t("logs.columns.time"), cell: (row) => formatDateTime(row.created_at, language), className: "whitespace-nowrap" },
    {
      id: "offer",
      header: t("logs.columns.offer"),
      cell: (row) => <UserText value={row.offer_name} className="font-medium" />,
      className: "whitespace-nowrap",
    },
    ...(viewer.affiliate
      ? []
      : [
          {
            id: "affiliate",
            header: t("logs.columns.affiliate"),
            cell: (row: Conversion) => <UserText value={row.affiliate_name} />,
            className: "whitespace-nowrap",
          },
        ]),
    { id: "goal", header: t("logs.columns.goal"), cell: (row) => goalLabel(t, row.goal), className: "whitespace-nowrap" },
    { id: "status", header: t("logs.columns.status"), cell: (row) => <ConversionStatusCell conversion={row} withReason /> },
    { id: "payout", header: t("logs.columns.payout"), cell: (row) => money(row.payout, row), className: "text-right tabular-nums whitespace-nowrap" },
    ...(viewer.seesRevenue
      ? [
          {
            id: "revenue",
            header: t("logs.columns.revenue"),
            cell: (row: Conversion) => money(row.revenue, row),
            className: "text-right tabular-nums whitespace-nowrap",
          },
        ]
      : []),
    { id: "country", header: t("logs.columns.country"), cell: (row) => <span className="font-mono text-xs">{row.country || "—"}</span> },
    { id: "sub1", header: t("stats.filters.sub1"), cell: (row) => <UserText value={row.sub1} className="font-mono text-xs text-muted-foreground" /> },
    { id: "click", header: t("logs.columns.click"), cell: (row) => <ClickLink clickId={row.click_id} /> },
  ];
  return (
    <Card data-testid="conversion-log" data-state={log.isFetching ? "loading" : "ready"}>
      <DataTable
        columns={columns}
        rows={log.data?.items}
        rowKey={(row) => row.id}
        rowTestId={() => "conversion-log-row"}
        rowAttributes={(row) => ({ "data-status": row.status, "data-click-id": row.click_id })}
        isLoading={log.isPending}
        error={log.error}
        onRetry={() => void log.refetch()}
        empty={{
          icon: ReceiptTextIcon,
          title: t(filtered(state) ? "logs.emptyFilteredTitle" : "logs.emptyConversionsTitle"),
          description: t(filtered(state) ? "logs.emptyFilteredText" : "logs.emptyText"),
        }}
      />
      <CursorPager state={state} nextCursor={log.data?.next_cursor ?? null} fetching={log.isFetching} />
    </Card>
  );
}

/** A click's sub-ids, in order ("sub1 blog · sub2 banner"). */
function Subs({ subs }: { subs: Record<string, string> }) {
  const set = SUB_NAMES.filter((name) => subs[name]);
  if (set.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="flex max-w-64 flex-wrap gap-x-2 gap-y-0.5 font-mono text-xs">
      {set.map((name) => (
        <span key={name} className="truncate" title={showBidiControls(`${name}=${subs[name]}`)}>
          <span className="text-muted-foreground">{name}</span> <UserText value={subs[name]} />
        </span>
      ))}
    </div>
  );
}

/** Newer and older pages of a log; the cursors of the pages before stay in the URL, so a page can be shared. */
function CursorPager({ state, nextCursor, fetching }: { state: LogState; nextCursor: string | null; fetching: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = state.cursors.length + 1;
  if (page === 1 && !nextCursor) return null;
  const go = (next: URLSearchParams) => setParams(next, { replace: true });
  return (
    <div className="flex items-center justify-end gap-2 border-t px-4 py-2.5 text-sm" aria-busy={fetching}>
      <span className="mr-auto text-muted-foreground" data-testid="logs-page">
        {t("logs.page", { n: page })}
      </span>
      <Button variant="ghost" size="sm" disabled={page === 1} onClick={() => go(withParams(params, { after: undefined }))} data-testid="logs-newest">
        <ChevronsLeftIcon /> {t("logs.newest")}
      </Button>
      <Button variant="outline" size="sm" disabled={page === 1} onClick={() => go(withPreviousPage(params))} data-testid="logs-newer">
        <ChevronLeftIcon /> {t("logs.newer")}
      </Button>
      <Button
        variant="outline"
        size="sm"
        disabled={!nextCursor || fetching}
        onClick={() => nextCursor && go(withNextPage(params, nextCursor))}
        data-testid="logs-older"
      >
        {t("logs.older")} <ChevronRightIcon />
      </Button>
    </div>
  );
}
