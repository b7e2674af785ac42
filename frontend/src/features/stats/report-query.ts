import { hashKey, keepPreviousData, type QueryClient } from "@tanstack/react-query";
import { ApiError, unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { ErrorCode, StatsReport, StatsReportQuery } from "@/api/types";

/**
 * Reports the cubes cannot answer are queries of the analytics engine (Athena, DuckDB locally). The
 * server waits a few seconds; a longer query answers `query.state == "running"` with no rows, and the
 * page asks again with the query's id until it is done. The id belongs to the report's statement, not
 * to one page of it: the server sorts and pages a finished query's rows itself, so another page or
 * order of the same report follows the same query instead of scanning the clicks again.
 */

/** How often a running query is asked about (the server itself waits up to ~3 s before answering). */
export const FOLLOW_INTERVAL_MS = 1000;

/** The codes after which a followed query is over: the next ask starts the report afresh. */
const ENDED: ReadonlySet<string> = new Set<ErrorCode>(["query_cancelled", "query_failed", "not_found"]);

/** Whether an error is how the report's query ended (the page's own panel, with "Run again"), not a failure to load. */
export function isQueryEnd(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code === "query_cancelled" || error.code === "query_failed");
}

export const reportQueryKeys = {
  report: (scope: string | null, query: StatsReportQuery) => ["stats", "report", scope, query] as const,
};

/**
 * The queries the page follows, per client: the id answering each statement, and the query each
 * screen's one report (its slot) last heard running. Not in the query cache: it drops what no screen
 * watches after a few minutes, and a query may run longer than that.
 */
type Follows = { ids: Map<string, string>; running: Map<string, { id: string; statement: string }> };
const follows = new WeakMap<QueryClient, Follows>();

function followsOf(client: QueryClient): Follows {
  let known = follows.get(client);
  if (!known) {
    known = { ids: new Map(), running: new Map() };
    follows.set(client, known);
  }
  return known;
}

/** What makes a report's statement in the engine: every parameter but its order, its page and the id. */
export function statementOf(query: StatsReportQuery): StatsReportQuery {
  const { sort: _sort, desc: _desc, offset: _offset, limit: _limit, query_id: _id, ...statement } = query;
  return statement;
}

/** Whether this answer is a query still running (its rows and totals are not the report yet). */
export function isRunning(report: StatsReport | undefined): boolean {
  return report?.query?.state === "running";
}

/**
 * When the report in a slot changed while its query still ran, stops that query: it would go on
 * scanning (and hold one of the few queries the engine runs at once) for nothing. Its id is forgotten,
 * so going back to that report starts it afresh instead of finding it cancelled. Only a slot's own
 * query: the reports a screen shows side by side (the dashboard's) each run on.
 */
async function abandonPrevious(known: Follows, slot: string, statement: string): Promise<void> {
  const previous = known.running.get(slot);
  if (!previous || previous.statement === statement) return;
  known.running.delete(slot);
  known.ids.delete(previous.statement);
  // Not found, or over already: nothing is left to stop.
  await unwrap(api.DELETE("/api/stats/queries/{query_id}", { params: { path: { query_id: previous.id } } })).catch(() => undefined);
}

/** One ask for the report: with the id of the query that already answers its statement, if any. */
async function fetchReport(
  client: QueryClient,
  scope: string | null,
  query: StatsReportQuery,
  slotName: string | undefined,
  signal: AbortSignal,
): Promise<StatsReport> {
  const known = followsOf(client);
  const statement = hashKey([scope, statementOf(query)]);
  const slot = slotName === undefined ? null : hashKey([scope, slotName]);
  if (slot) await abandonPrevious(known, slot, statement);
  const queryId = known.ids.get(statement);
  try {
    const report = await unwrap(api.GET("/api/stats", { params: { query: queryId ? { ...query, query_id: queryId } : query }, signal }));
    if (report.query) known.ids.set(statement, report.query.id);
    else known.ids.delete(statement);
    if (slot && report.query && isRunning(report)) known.running.set(slot, { id: report.query.id, statement });
    else if (slot) known.running.delete(slot);
    return report;
  } catch (error) {
    if (!(queryId && error instanceof ApiError && ENDED.has(error.code))) throw error;
    known.ids.delete(statement);
    if (slot) known.running.delete(slot);
    // The server no longer knows the query (its record expired): start the report again at once.
    if (error.code === "not_found") return fetchReport(client, scope, query, slotName, signal);
    throw error;
  }
}

type ReportOptions = {
  enabled?: boolean;
  /** The screen's one report this is (the report builder's): a changed report stops its previous query. */
  slot?: string;
};

/** The report's TanStack options: fetched as above, and asked again about once a second while its query runs. */
export function reportQueryOptions(scope: string | null, query: StatsReportQuery, { enabled = true, slot }: ReportOptions = {}) {
  return {
    queryKey: reportQueryKeys.report(scope, query),
    queryFn: ({ client, signal }: { client: QueryClient; signal: AbortSignal }) => fetchReport(client, scope, query, slot, signal),
    // The previous answer stays on screen while a changed one loads, so charts move instead of blinking.
    placeholderData: keepPreviousData,
    // After an error the last answer is still the query's "running": polling stops with the error.
    refetchInterval: (current: { state: { status: string; data?: StatsReport } }) =>
      current.state.status === "success" && isRunning(current.state.data) ? FOLLOW_INTERVAL_MS : false,
    enabled,
  };
}

/**
 * Stops the report's query, then asks for the report once more with its id: the server answers
 * `query_cancelled` (or the rows, when the query finished first), and the page shows that.
 */
export async function cancelReportQuery(client: QueryClient, scope: string | null, query: StatsReportQuery, queryId: string): Promise<void> {
  try {
    await unwrap(api.DELETE("/api/stats/queries/{query_id}", { params: { path: { query_id: queryId } } }));
  } catch (error) {
    // Not found: the query is over already; asking again shows how it ended.
    if (!(error instanceof ApiError && error.code === "not_found")) throw error;
  } finally {
    await client.refetchQueries({ queryKey: reportQueryKeys.report(scope, query), exact: true });
  }
}
