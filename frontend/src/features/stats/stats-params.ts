import type { ConversionStatus, ExportRequest, StatsGroup, StatsLogQuery, StatsQuery, StatsReportQuery, StatsSort } from "@/api/types";
import { REPORT_COLUMNS } from "./report-columns";
import { browserTimeZone, chosenRange, isTimeZone, type ChosenRange, type DatePreset } from "@/lib/date-range";

/**
 * What a statistics page shows, kept in its URL so any view is a link to share: the range
 * (`range` or `from`/`to`), `tz`, `advertiser_id` (platform staff), the filters by their API names,
 * and each page's own parameters (grouping, sorting and paging of a report; the log and its cursors).
 */

export const SUB_NAMES = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"] as const;
export const FILTER_NAMES = ["offer_id", "affiliate_id", "country", "device", "os", "browser", ...SUB_NAMES, "click_id"] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type StatsFilters = Partial<Record<FilterName, string>>;

/** The longest value the API takes for each filter. */
const MAX_LENGTH: Record<FilterName, number> = {
  offer_id: 40,
  affiliate_id: 40,
  country: 2,
  device: 20,
  os: 40,
  browser: 40,
  ...(Object.fromEntries(SUB_NAMES.map((name) => [name, 200])) as Record<(typeof SUB_NAMES)[number], number>),
  click_id: 64,
};

export const DEVICES = ["desktop", "mobile", "tablet", "bot", "unknown"] as const;

export const GROUPS = [
  "day",
  "hour",
  "none",
  "advertiser",
  "offer",
  "affiliate",
  "country",
  "device",
  "os",
  "browser",
  ...SUB_NAMES,
] as const satisfies readonly StatsGroup[];
export const SORTS = ["key", ...REPORT_COLUMNS] as const satisfies readonly StatsSort[];

export const PAGE_SIZES = [25, 50, 100, 250, 500] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_PRESET: DatePreset = "last7";
/** The statuses the conversion log filters by. */
export const LOG_STATUSES = ["pending", "hold", "approved", "rejected"] as const satisfies readonly ConversionStatus[];

/** The parameters that page through a result; any other change starts again from its first page. */
const PAGING = ["offset", "after"];

/** Where a statistics page looks: the range in a time zone, and for platform staff an advertiser. */
export type StatsScope = ChosenRange & { tz: string; advertiserId?: string };
export type ScopeOptions = { staff: boolean; defaultTz?: string; fallback?: DatePreset; now?: Date };

function oneOf<Value extends string>(values: readonly Value[], raw: string | null): Value | undefined {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as Value) : undefined;
}

/** The filters in `params`; a value the API would refuse (too long, a country that is not two letters) is left out. */
export function filtersFromParams(params: URLSearchParams): StatsFilters {
  const filters: StatsFilters = {};
  for (const name of FILTER_NAMES) {
    let value = params.get(name)?.trim() ?? "";
    if (name === "country") value = /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : "";
    if (value && value.length <= MAX_LENGTH[name]) filters[name] = value;
  }
  return filters;
}

export function scopeFromParams(params: URLSearchParams, { staff, defaultTz = browserTimeZone(), fallback = DEFAULT_PRESET, now }: ScopeOptions): StatsScope {
  const raw = params.get("tz") ?? "";
  const tz = isTimeZone(raw) ? raw : defaultTz;
  const advertiserId = staff ? params.get("advertiser_id")?.trim() || undefined : undefined;
  return { ...chosenRange(params, tz, fallback, now), tz, ...(advertiserId && advertiserId.length <= 40 ? { advertiserId } : {}) };
}

/** The query every statistics endpoint takes: the scope and the filters. */
export function statsQuery(scope: StatsScope, filters: StatsFilters): StatsQuery {
  return { from: scope.from, to: scope.to, tz: scope.tz, ...(scope.advertiserId ? { advertiser_id: scope.advertiserId } : {}), ...filters };
}

// --- The report builder ---------------------------------------------------------------------------

export type ReportState = {
  scope: StatsScope;
  filters: StatsFilters;
  groupBy: StatsGroup;
  /** Unset: the server's default (by key for day and hour, by clicks otherwise). */
  sort?: StatsSort;
  desc?: boolean;
  offset: number;
  limit: number;
};

function count(raw: string | null, fallback: number, max: number): number {
  const value = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value >= 0 && value <= max ? value : fallback;
}

export function reportFromParams(params: URLSearchParams, options: ScopeOptions): ReportState {
  const desc = params.get("desc");
  const limit = count(params.get("limit"), DEFAULT_PAGE_SIZE, 1000);
  return {
    scope: scopeFromParams(params, options),
    filters: filtersFromParams(params),
    groupBy: oneOf(GROUPS, params.get("group_by")) ?? "day",
    sort: oneOf(SORTS, params.get("sort")),
    desc: desc === "1" ? true : desc === "0" ? false : undefined,
    offset: count(params.get("offset"), 0, Number.MAX_SAFE_INTEGER),
    limit: limit === 0 ? DEFAULT_PAGE_SIZE : limit,
  };
}

export function reportQuery(state: ReportState): StatsReportQuery {
  return {
    ...statsQuery(state.scope, state.filters),
    group_by: state.groupBy,
    ...(state.sort ? { sort: state.sort } : {}),
    ...(state.desc !== undefined ? { desc: String(state.desc) } : {}),
    offset: state.offset,
    limit: state.limit,
  };
}

/** The order a report comes in: the URL's, else the server's default (by key for day and hour, by clicks otherwise). */
export function reportOrder(state: Pick<ReportState, "groupBy" | "sort" | "desc">): { sort: StatsSort; desc: boolean } {
  const sort = state.sort ?? (state.groupBy === "day" || state.groupBy === "hour" ? "key" : "clicks");
  return { sort, desc: state.desc ?? sort !== "key" };
}

/** The ordering after a click on a column's header: the same column turns around, another starts from its natural end. */
export function nextSort(current: { sort: StatsSort; desc: boolean }, column: StatsSort): { sort: StatsSort; desc: boolean } {
  if (current.sort === column) return { sort: column, desc: !current.desc };
  return { sort: column, desc: column !== "key" };
}

// --- The logs -------------------------------------------------------------------------------------

export const LOGS = ["clicks", "conversions"] as const;
export type LogName = (typeof LOGS)[number];

export type LogState = {
  scope: StatsScope;
  filters: StatsFilters;
  log: LogName;
  status?: ConversionStatus;
  /** The cursors of the pages before the one shown, oldest first: the last one opens the current page. */
  cursors: string[];
};

export function logFromParams(params: URLSearchParams, options: ScopeOptions): LogState {
  const log = oneOf(LOGS, params.get("log")) ?? "clicks";
  const status = log === "conversions" ? oneOf(LOG_STATUSES, params.get("status")) : undefined;
  return {
    scope: scopeFromParams(params, options),
    filters: filtersFromParams(params),
    log,
    ...(status ? { status } : {}),
    cursors: params.getAll("after").filter((cursor) => cursor.length > 0 && cursor.length <= 200),
  };
}

export function logQuery(state: LogState, limit: number): StatsLogQuery {
  const cursor = state.cursors.at(-1);
  return { ...statsQuery(state.scope, state.filters), ...(cursor ? { cursor } : {}), ...(state.status ? { status: state.status } : {}), limit };
}

/** The next (older) page: its cursor joins the stack. */
export function withNextPage(params: URLSearchParams, cursor: string): URLSearchParams {
  const next = new URLSearchParams(params);
  next.append("after", cursor);
  return next;
}

/** The previous (newer) page: the last cursor leaves the stack. */
export function withPreviousPage(params: URLSearchParams): URLSearchParams {
  const cursors = params.getAll("after");
  const next = new URLSearchParams(params);
  next.delete("after");
  for (const cursor of cursors.slice(0, -1)) next.append("after", cursor);
  return next;
}

// --- Changes ---------------------------------------------------------------------------------------

export type ParamChanges = Record<string, string | undefined>;

/**
 * `params` with `changes` applied (an empty value removes the parameter). Anything but paging itself
 * starts the result again from its first page.
 */
export function withParams(params: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  if (Object.keys(changes).some((name) => !PAGING.includes(name))) for (const name of PAGING) if (!(name in changes)) next.delete(name);
  return next;
}

/** The export of what a page shows, with the same scope and filters. */
export function exportRequest(kind: ExportRequest["kind"], scope: StatsScope, filters: StatsFilters, extra: Partial<ExportRequest> = {}): ExportRequest {
  return {
    kind,
    from: scope.from,
    to: scope.to,
    tz: scope.tz,
    ...(scope.advertiserId ? { advertiser_id: scope.advertiserId } : {}),
    ...filters,
    group_by: "day",
    ...extra,
  };
}

/** The changes that remove every filter. */
export const NO_FILTERS: ParamChanges = Object.fromEntries(FILTER_NAMES.map((name) => [name, undefined]));

/** The filters that are set, in the order the panel lists them. */
export function activeFilters(filters: StatsFilters): [FilterName, string][] {
  return FILTER_NAMES.flatMap((name) => (filters[name] ? [[name, filters[name]] as [FilterName, string]] : []));
}
