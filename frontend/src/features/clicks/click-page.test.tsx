import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { ClickDetail, Conversion, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { ClickPage } from "@/features/clicks/click-page";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: the click is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const SALE: Conversion = {
  id: "conv_1",
  click_id: "c-2",
  offer_id: "off_1",
  offer_name: "Sneakers",
  affiliate_id: "aff_1",
  affiliate_name: "Traffic Pro",
  goal: "sale",
  status: "rejected",
  payout: "12.50",
  revenue: "20.00",
  currency: "USD",
  amount: null,
  txn_id: null,
  hold_until: null,
  review: false,
  reason: "fraud",
  flags: ["datacenter"],
  screening: "rejected",
  screening_flag: "datacenter",
  screening_note: "click from a datacenter network, AS16509 (Amazon AWS)",
  screening_detail: { asn: "16509", network: "Amazon AWS" },
  country: "DE",
  sub1: null,
  created_at: "2026-11-21T10:02:04.000Z",
  updated_at: "2026-11-21T10:02:04.000Z",
};

const CLICK: ClickDetail = {
  click_id: "c-2",
  created_at: "2026-11-21T10:02:00.000Z",
  advertiser_id: "adv_1",
  offer_id: "off_1",
  offer_name: "Sneakers",
  affiliate_id: "aff_1",
  affiliate_name: "Traffic Pro",
  reason: null,
  blocked_by: null,
  country: "DE",
  ip: "3.5.140.7",
  user_agent: "Mozilla/5.0",
  device: "desktop",
  os: "Windows",
  browser: "Chrome",
  subs: {},
  quality: {
    status: "flagged",
    unique: false,
    flood: true,
    bot: false,
    datacenter: "Amazon AWS",
    asn: 16509,
    address_clicks: 47,
    flood_threshold: 30,
    first_click_id: "c-1",
  },
  conversions: [SALE],
  deliveries: [],
};

function render(click: ClickDetail): string {
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
  client.setQueryData(["clicks", click.click_id], click);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/clicks/${click.click_id}`]}>
          <Routes>
            <Route path="/clicks/:clickId" element={<ClickPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("a flagged click's page", () => {
  it("explains each flag: the network and its AS number, the flood's count, the repeat's first click", () => {
    const html = render(CLICK);
    expect(html).toContain("Datacenter address (Amazon AWS, AS16509)");
    expect(html).toContain("47 clicks from this address to this advertiser in the hour; more than 30 is a flood.");
    expect(html).toContain('data-testid="click-first-click" href="/clicks/c-1"');
  });

  it("says what a fraud rule did to its conversion, and why", () => {
    const html = render(CLICK);
    expect(html).toContain('data-testid="conversion-screening-conv_1" data-flag="datacenter"');
    expect(html).toContain("Rejected: click from a datacenter network, AS16509 (Amazon AWS)");
  });

  it("names the refusals issue 20 added", () => {
    const quiet = {
      ...CLICK.quality,
      status: "clean",
      unique: null,
      flood: false,
      datacenter: null,
      asn: null,
      address_clicks: null,
      first_click_id: null,
    } as const;
    const refused: ClickDetail = { ...CLICK, reason: "blocked_by_rule", blocked_by: "cidr:203.0.113.0/24", quality: quiet, conversions: [] };
    expect(render(refused)).toContain("Refused: block list");
    expect(render({ ...refused, reason: "advertiser_suspended", blocked_by: null })).toContain("Refused: advertiser suspended");
    expect(render({ ...refused, reason: "affiliate_suspended", blocked_by: null })).toContain("Refused: affiliate suspended");
  });
});
