import { environmentManager, QueryClient, QueryClientProvider, QueryObserver } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { StatsQueryState, StatsReport, StatsReportQuery, StatsRow, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { cancelReportQuery, FOLLOW_INTERVAL_MS, reportQueryOptions } from "@/features/stats/report-query";
import { reportFromParams, reportQuery } from "@/features/stats/stats-params";
import { ReportsPage } from "@/features/stats/reports-page";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { INTERPOLATION } from "@/i18n/interpolation";

/** The API as the test scripts it: each request takes the next answer, in order, and is remembered. */
const server = vi.hoisted(() => ({
  requests: [] as { method: string; url: URL }[],
  answers: [] as { status: number; body?: unknown }[],
}));

vi.mock("@/api/client", async () => {
  const { default: createClient } = await import("openapi-fetch");
  const scripted = async (request: Request): Promise<Response> => {
    server.requests.push({ method: request.method, url: new URL(request.url) });
    const answer = server.answers.shift();
    if (!answer) throw new Error(`no answer scripted for ${request.method} ${request.url}`);
    return answer.body === undefined ? new Response(null, { status: answer.status }) : Response.json(answer.body, { status: answer.status });
  };
  return { api: createClient({ baseUrl: "http://127.0.0.1", fetch: scripted }), authFetch: fetch, refreshSession: async () => null };
});

const i18n = i18next.createInstance();
beforeAll(async () => {
  // Node has no window, so TanStack Query would take it for a server and schedule no polling.
  environmentManager.setIsServer(() => false);
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: INTERPOLATION });
});
afterAll(() => environmentManager.setIsServer(() => typeof window === "undefined"));
beforeEach(() => {
  vi.useFakeTimers();
  server.requests.length = 0;
  server.answers.length = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  sessionStore.clear();
  await i18n.changeLanguage("en");
});

// A sub-id grouping with two filters: a report the cubes cannot answer.
const SEARCH = "range=custom&from=2026-11-01&to=2026-11-30&tz=UTC&group_by=sub1&country=DE&device=mobile";
const SCOPE = null;

function queryOf(search: string): StatsReportQuery {
  return reportQuery(reportFromParams(new URLSearchParams(search), { staff: false }));
}

function row(key: string, clicks: number): StatsRow {
  return {
    ...{ key, label: key, clicks, unique: clicks, bots: 0, flood: 0, datacenter: 0, blocked: 0, leads: 0, sales: 0, conversions: 0 },
    ...{ hold: 0, rejected: 0, held_by_rule: 0, rejected_by_rule: 0, cr: null, payout: {}, epc: {}, cpc_clicks: 0, cpc_payout: {} },
    ...{ refused: {}, revenue: null, profit: null, roi: null },
  };
}

function answer(query: StatsQueryState | null, rows: StatsRow[] = []): { status: number; body: StatsReport } {
  const report: StatsReport = {
    advertiser_id: "adv_1",
    date_from: "2026-11-01",
    date_to: "2026-11-30",
    tz: "UTC",
    group_by: "sub1",
    sort: "clicks",
    desc: true,
    rows,
    total_rows: rows.length,
    offset: 0,
    limit: 50,
    totals: row(
      "total",
      rows.reduce((sum, one) => sum + one.clicks, 0),
    ),
    query,
  };
  return { status: 200, body: report };
}

const running = (progress: number | null, scanned_bytes = 13_002_342, elapsed_ms = 8_400): StatsQueryState => ({
  id: "q-1",
  state: "running",
  scanned_bytes,
  elapsed_ms,
  progress,
});
const DONE: StatsQueryState = { id: "q-1", state: "done", scanned_bytes: 40_000_000, elapsed_ms: 14_000, progress: 1 };
const refusal = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

/** The report page as it shows what the client holds now (the cache the page's own hook reads). */
function render(client: QueryClient, search = SEARCH): string {
  const user: User = {
    ...{ id: "usr_1", email: "ada@example.com", name: "Ada", role: "advertiser", status: "active", email_verified: true },
    ...{ mfa_enabled: false, locale: "en", advertiser_id: "adv_1", created_at: "2026-01-01T00:00:00Z" },
  };
  const context = { advertiser_id: "adv_1", advertiser_name: "Acme" };
  sessionStore.set({ access_token: "token", expires_in: 900, user, context });
  client.setQueryData(meQueryKey(user.id), { user, context, memberships: [], permissions: ROLE_PERMISSIONS.advertiser });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/reports?${search}`]}>
          <ReportsPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

/** The page's one report, as its hook names it. */
const SLOT = { slot: "reports" };

/** A client that follows the report the way the page does (the page's hook takes the same options). */
function follow(query: StatsReportQuery = queryOf(SEARCH)) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const observer = new QueryObserver(client, reportQueryOptions(SCOPE, query, SLOT));
  const unsubscribe = observer.subscribe(() => undefined);
  return { client, observer, unsubscribe };
}

const asked = () =>
  server.requests.map(
    ({ method, url }) => `${method} ${url.pathname}${url.searchParams.has("query_id") ? ` query_id=${url.searchParams.get("query_id")}` : ""}`,
  );
const progressBar = (html: string) => /<div role="progressbar"[^>]*>/.exec(html)?.[0] ?? null;

describe("a report counted by the analytics engine", () => {
  it("shows the query's progress, asks again with its id about once a second, then shows the table", async () => {
    // Given a query that runs for two answers and is then done
    server.answers.push(answer(running(0.3)), answer(running(null, 52_428_800, 71_000)), answer(DONE, [row("blog", 7), row("mail", 3)]));
    const { client, unsubscribe } = follow();

    // When the first answer arrives
    await vi.advanceTimersByTimeAsync(0);
    // Then the page shows a determinate bar with what the engine read, and no table
    let html = render(client);
    expect(asked()).toEqual(["GET /api/stats"]);
    expect(progressBar(html)).toContain('aria-valuenow="30"');
    expect(html).toContain("Counting clicks…");
    expect(html).toContain("12.4 MB scanned · 8s");
    expect(html).toContain('data-testid="report-query-cancel"');
    expect(html).toContain('data-state="running"');
    expect(html).not.toContain('data-testid="report-table"');

    // When a second passes, the query is asked about by its id; its progress is unknown now
    await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    html = render(client);
    expect(asked()).toEqual(["GET /api/stats", "GET /api/stats query_id=q-1"]);
    expect(progressBar(html)).not.toBeNull();
    expect(progressBar(html)).not.toContain("aria-valuenow");
    expect(html).toContain("50 MB scanned · 1m 11s");

    // When another second passes, the query is done: the rows and totals show, the bar is gone
    await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    html = render(client);
    expect(asked()).toHaveLength(3);
    expect(progressBar(html)).toBeNull();
    expect(html).toContain('data-testid="report-table"');
    expect(html).toMatch(/data-testid="report-row" data-key="blog"/);
    expect(html).toContain("2 rows");

    // And no more asks once it is done
    await vi.advanceTimersByTimeAsync(5 * FOLLOW_INTERVAL_MS);
    expect(asked()).toHaveLength(3);
    unsubscribe();
  });

  it("follows a query that runs longer than the cache keeps what nobody watches", async () => {
    // Given a query that runs for ten minutes (Athena's may take that long)
    const { unsubscribe } = follow();
    for (let second = 0; second < 600; second += 1) server.answers.push(answer(running(null, second * 1_000_000, second * 1000)));
    await vi.advanceTimersByTimeAsync(0);
    // When it is followed all that time
    for (let second = 1; second < 600; second += 1) await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    // Then it was started once and every later ask followed it by its id
    expect(asked()).toHaveLength(600);
    expect(asked().filter((request) => !request.includes("query_id=q-1"))).toEqual(["GET /api/stats"]);
    unsubscribe();
  });

  it("says it in Russian", async () => {
    server.answers.push(answer(running(0.5)));
    const { client, unsubscribe } = follow();
    await vi.advanceTimersByTimeAsync(0);
    await i18n.changeLanguage("ru");
    const html = render(client);
    expect(html).toContain("Считаем клики…");
    expect(html).toContain("Просмотрено 12,4 МБ · 8 с");
    expect(html).toContain("Отменить");
    unsubscribe();
  });

  it("pages a finished query by its id, and starts a new query when a filter changes", async () => {
    // Given a report whose query is done
    server.answers.push(answer(DONE, [row("blog", 7)]));
    const first = follow();
    await vi.advanceTimersByTimeAsync(0);
    first.unsubscribe();

    // When the next page of the same report is asked for, the server re-reads the same query
    server.answers.push(answer(DONE, [row("mail", 3)]));
    const next = new QueryObserver(first.client, reportQueryOptions(SCOPE, queryOf(`${SEARCH}&offset=50&sort=key&desc=0`), SLOT));
    next.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toEqual(["GET /api/stats", "GET /api/stats query_id=q-1"]);

    // When a filter changes, the old query's id is not sent: the statement differs
    server.answers.push(answer(null, [row("blog", 5)]));
    const other = new QueryObserver(first.client, reportQueryOptions(SCOPE, queryOf(SEARCH.replace("country=DE", "country=FR")), SLOT));
    other.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toEqual(["GET /api/stats", "GET /api/stats query_id=q-1", "GET /api/stats"]);
  });

  it("starts the report afresh when the server no longer knows the query", async () => {
    server.answers.push(answer(running(0.1)), refusal(404, "not_found", "no such query for this report: start it again"), answer(running(0.05)));
    const { observer, unsubscribe } = follow();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    expect(asked()).toEqual(["GET /api/stats", "GET /api/stats query_id=q-1", "GET /api/stats"]);
    expect(observer.getCurrentResult().isError).toBe(false);
    unsubscribe();
  });
});

describe("changing a report while its query runs", () => {
  const FRANCE = SEARCH.replace("country=DE", "country=FR");

  it("stops the previous query, and starts that report afresh when the reader comes back to it", async () => {
    // Given the report for Germany still counting
    server.answers.push(answer(running(0.2)));
    const germany = follow();
    await vi.advanceTimersByTimeAsync(0);
    germany.unsubscribe();

    // When the reader picks France: Germany's query is stopped before France's starts
    server.answers.push({ status: 204 }, answer({ ...running(0.4), id: "q-2" }));
    const france = new QueryObserver(germany.client, reportQueryOptions(SCOPE, queryOf(FRANCE), SLOT));
    const stopFrance = france.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toEqual(["GET /api/stats", "DELETE /api/stats/queries/q-1", "GET /api/stats"]);
    stopFrance();

    // When the reader goes back to Germany: France's query is stopped, Germany's runs anew (not the cancelled id)
    server.answers.push({ status: 204 }, answer({ ...running(0.1), id: "q-3" }));
    await germany.observer.refetch();
    expect(asked().slice(3)).toEqual(["DELETE /api/stats/queries/q-2", "GET /api/stats"]);
  });

  it("leaves the reports a screen shows side by side running", async () => {
    // Given the dashboard's reports, no slot of their own, two of them counting at once
    server.answers.push(answer(running(0.2)), answer({ ...running(0.3), id: "q-2" }));
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    for (const search of [SEARCH, SEARCH.replace("group_by=sub1", "group_by=offer")]) {
      new QueryObserver(client, reportQueryOptions(SCOPE, queryOf(search))).subscribe(() => undefined);
    }
    await vi.advanceTimersByTimeAsync(0);
    // Then both are followed, and neither is stopped
    server.answers.push(answer(running(0.5)), answer({ ...running(0.6), id: "q-2" }));
    await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    expect(asked().sort()).toEqual(["GET /api/stats", "GET /api/stats", "GET /api/stats query_id=q-1", "GET /api/stats query_id=q-2"]);
  });
});

describe("cancelling the report's query", () => {
  it("stops the query by its id, shows it cancelled, and runs the report again on request", async () => {
    // Given a running query
    server.answers.push(answer(running(0.3)));
    const { client, observer, unsubscribe } = follow();
    await vi.advanceTimersByTimeAsync(0);

    // When Cancel is pressed: the query is deleted, and the report asked for once more
    server.answers.push({ status: 204 }, refusal(409, "query_cancelled", "the report's query was cancelled"));
    await cancelReportQuery(client, SCOPE, queryOf(SEARCH), "q-1");

    // Then the DELETE named the query, and the page shows it cancelled with "Run again"
    expect(asked()).toEqual(["GET /api/stats", "DELETE /api/stats/queries/q-1", "GET /api/stats query_id=q-1"]);
    let html = render(client);
    expect(html).toContain('data-state="cancelled"');
    expect(html).toContain("Query cancelled");
    expect(html).toContain("Run again");
    expect(progressBar(html)).toBeNull();
    // And nothing is asked while it stays cancelled
    await vi.advanceTimersByTimeAsync(5 * FOLLOW_INTERVAL_MS);
    expect(asked()).toHaveLength(3);

    // When "Run again" is pressed, a fresh query starts: the same report without the cancelled id
    server.answers.push(answer(running(0.01)));
    await observer.refetch();
    expect(asked()[3]).toBe("GET /api/stats");
    html = render(client);
    expect(progressBar(html)).toContain('aria-valuenow="1"');
    unsubscribe();
  });

  it("shows the rows when the query finished before the cancel reached it", async () => {
    server.answers.push(answer(running(0.9)));
    const { client, unsubscribe } = follow();
    await vi.advanceTimersByTimeAsync(0);
    // The engine no longer knows a finished query to cancel; the report is there all the same
    server.answers.push(refusal(404, "not_found", "no such query"), answer(DONE, [row("blog", 7)]));
    await cancelReportQuery(client, SCOPE, queryOf(SEARCH), "q-1");
    expect(render(client)).toMatch(/data-testid="report-row" data-key="blog"/);
    unsubscribe();
  });
});

describe("a failed query", () => {
  it("shows why with a Run again, and stops asking", async () => {
    const why = "the report's query failed: Query exhausted the workgroup's limit of 10 GB scanned";
    server.answers.push(answer(running(null)), refusal(400, "query_failed", why));
    const { client, unsubscribe } = follow();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(FOLLOW_INTERVAL_MS);
    const html = render(client);
    expect(html).toContain('data-state="failed"');
    expect(html).toContain("The report could not be counted");
    expect(html).toContain(why.replaceAll("'", "&#x27;"));
    expect(html).toContain("Run again");
    await vi.advanceTimersByTimeAsync(5 * FOLLOW_INTERVAL_MS);
    expect(asked()).toHaveLength(2);
    unsubscribe();
  });
});
