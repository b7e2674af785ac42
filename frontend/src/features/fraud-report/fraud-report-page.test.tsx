import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { FraudReport, FraudRow, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { fraudQuery, fraudReportFromParams } from "@/features/fraud-report/fraud-report-format";
import { FraudReportPage } from "@/features/fraud-report/fraud-report-page";
import { fraudReportKeys } from "@/features/fraud-report/use-fraud-report";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: the report is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const SEARCH = "range=custom&from=2026-11-20&to=2026-11-21&tz=UTC&group_by=sub1";

function row(key: string, values: Partial<FraudRow> = {}): FraudRow {
  return {
    key,
    label: key,
    requests: 0,
    clicks: 0,
    flagged: { bots: 0, datacenter: 0, flood: 0, duplicate: 0 },
    flagged_shares: { bots: null, datacenter: null, flood: null, duplicate: null },
    refused: 0,
    refused_by_reason: {},
    refused_share: null,
    refused_shares: {},
    held_by_rule: 0,
    rejected_by_rule: 0,
    arrived_conversions: 0,
    ...values,
  };
}

const BLOG = row("blog", {
  requests: 40,
  clicks: 36,
  flagged: { bots: 2, datacenter: 1, flood: 0, duplicate: 9 },
  flagged_shares: { bots: 5.5556, datacenter: 2.7778, flood: 0, duplicate: 25 },
  refused: 4,
  refused_by_reason: { blocked_by_rule: 3, affiliate_suspended: 1 },
  refused_share: 10,
  refused_shares: { blocked_by_rule: 7.5, affiliate_suspended: 2.5 },
  held_by_rule: 2,
  rejected_by_rule: 1,
  arrived_conversions: 6,
});

const REPORT: FraudReport = {
  advertiser_id: "adv_1",
  date_from: "2026-11-20",
  date_to: "2026-11-21",
  tz: "UTC",
  group_by: "sub1",
  rows: [BLOG, row("", { requests: 1, clicks: 1 })],
  total_rows: 2,
  offset: 0,
  limit: 50,
  totals: { ...BLOG, key: "total", label: "total", requests: 41, clicks: 37 },
  trend: [row("2026-11-20"), { ...BLOG, key: "2026-11-21" }],
};

function render(report: FraudReport): string {
  const user: User = {
    id: "usr_1",
    email: "ada@example.com",
    name: "Ada",
    role: "advertiser",
    status: "active",
    email_verified: true,
    mfa_enabled: false,
    locale: "en",
    advertiser_id: "adv_1",
    created_at: "2026-01-01T00:00:00Z",
  };
  const context = { advertiser_id: "adv_1", advertiser_name: "Acme" };
  sessionStore.set({ access_token: "token", expires_in: 900, user, context });
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(meQueryKey(user.id), { user, context, memberships: [], permissions: ROLE_PERMISSIONS.advertiser });
  const state = fraudReportFromParams(new URLSearchParams(SEARCH), { staff: false, affiliate: false });
  client.setQueryData(fraudReportKeys.report(null, fraudQuery(state)), report);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/fraud-report?${SEARCH}`]}>
          <FraudReportPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

/** The cells of the row with this test id and key, by column. */
function cells(html: string, testId: string, key: string): Record<string, string> {
  const start = html.indexOf(`data-testid="${testId}" data-key="${key}"`);
  const end = html.indexOf("</tr>", start);
  const part = html.slice(start, end);
  return Object.fromEntries([...part.matchAll(/data-column="([a-z_]+)">([^<]*)/g)].map((match) => [match[1], match[2] ?? ""]));
}

describe("the traffic-quality page", () => {
  it("shows each row's counts with their shares, and the refusals by reason", () => {
    const html = render(REPORT);
    expect(cells(html, "fraud-row", "blog")).toEqual({
      requests: "40",
      clicks: "36",
      bots: "2 · 5.56%",
      datacenter: "1 · 2.78%",
      flood: "0",
      duplicate: "9 · 25%",
      refused: "4 · 10%",
      held_by_rule: "2",
      rejected_by_rule: "1",
    });
    expect(html).toContain("<li>block list 3 · 7.5%</li><li>affiliate suspended 1 · 2.5%</li>");
    expect(cells(html, "fraud-totals", "total").requests).toBe("41");
    // A row without a value for the sub-id reads as such
    expect(html).toContain("(not set)");
  });

  it("draws the chosen series of the trend, every day of the range", () => {
    const html = render(REPORT);
    expect(html).toMatch(/data-testid="fraud-trend" data-metric="clicks" data-points="2" data-values="0,40"/);
  });

  it("says so when the period has no traffic", () => {
    const html = render({ ...REPORT, rows: [], total_rows: 0, totals: row("total"), trend: [row("2026-11-20"), row("2026-11-21")] });
    expect(html).toContain("No traffic in this period");
    expect(html).not.toContain('data-testid="fraud-table"');
  });
});
