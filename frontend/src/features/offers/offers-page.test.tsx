import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { Offer, Role, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { OffersPage } from "@/features/offers/offers-page";
import { offerKeys } from "@/features/offers/use-offers";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: every answer the page needs is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const ACME = "adv_acme";
const offer: Offer = {
  id: "off_1",
  advertiser_id: ACME,
  status: "active",
  postback_secret: null,
  created_at: "2026-11-01T00:00:00.000Z",
  updated_at: "2026-11-01T00:00:00.000Z",
  name: "Sneakers",
  description: "",
  model: "CPA",
  currency: "USD",
  goals: [{ key: "sale", name: "Sale", payout_type: "fixed", payout: "5.00", revenue_type: "fixed", revenue: "8.00" }],
  landings: [{ url: "https://shop.example/?c={click_id}", weight: 1 }],
  geo_mode: "all",
  geo_countries: [],
  caps: [],
  visibility: "public",
  hold_days: 0,
  attribution_days: 30,
  min_conversion_seconds: 0,
  fallback_url: null,
};

/** The offers page as `role` sees it at `url`; the advertiser's own list, or Acme's for staff, is cached. */
function render(role: Role, url: string): string {
  const user: User = {
    id: `usr_${role}`,
    email: `${role}@example.com`,
    name: role,
    role,
    status: "active",
    email_verified: true,
    mfa_enabled: false,
    locale: "en",
    advertiser_id: role === "advertiser" ? ACME : null,
    created_at: "2026-01-01T00:00:00Z",
  };
  const context = { advertiser_id: user.advertiser_id, advertiser_name: role === "advertiser" ? "Acme" : null };
  sessionStore.set({ access_token: "token", expires_in: 900, user, context });
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(meQueryKey(user.id), { user, context, memberships: [], permissions: ROLE_PERMISSIONS[role] });
  client.setQueryData(["advertisers"], { items: [{ id: ACME, name: "Acme", status: "active", created_at: "2026-01-01T00:00:00Z" }] });
  client.setQueryData(offerKeys.list(undefined, role === "advertiser" ? {} : { advertiser_id: ACME }), { items: [offer] });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[url]}>
          <OffersPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the offers page for staff", () => {
  it("asks staff to pick an advertiser first", () => {
    const html = render("platform_admin", "/offers");
    expect(html).toContain('data-testid="offers-advertiser"');
    expect(html).toContain(en.advertisers.pickFirstTitle);
    expect(html).not.toContain("Sneakers");
    expect(html).not.toContain('data-testid="offers-create"');
  });

  it("shows the picked advertiser's offers, and links that keep the advertiser", () => {
    const html = render("platform_admin", `/offers?advertiser_id=${ACME}`);
    expect(html).toContain("Sneakers");
    expect(html).toContain(`href="/offers/off_1?advertiser_id=${ACME}"`);
    expect(html).toContain(`href="/offers/new?advertiser_id=${ACME}"`);
  });

  it("lets support read the offers but offers it no action", () => {
    const html = render("support", `/offers?advertiser_id=${ACME}`);
    expect(html).toContain("Sneakers");
    expect(html).not.toContain('data-testid="offers-create"');
    expect(html).not.toContain(en.offers.edit);
    expect(html).toContain(en.support.workspace.open);
  });

  it("shows an advertiser its own offers with no picker", () => {
    const html = render("advertiser", "/offers");
    expect(html).not.toContain('data-testid="offers-advertiser"');
    expect(html).toContain("Sneakers");
    expect(html).toContain('href="/offers/new"');
    expect(html).toContain('href="/offers/off_1"');
  });
});
