import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { Permission, Portal, Subscription, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { BUSINESS, PLANS, subscriptionOf } from "@/features/billing/billing.fixture";
import { PricingPage } from "@/features/billing/pricing-page";
import { billingKeys } from "@/features/billing/use-billing";
import { portalKeys } from "@/features/branding/portal";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

// Nothing here reaches the API: every answer the page needs is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const platform = (supportEmail: string | null): Portal => ({
  advertiser_id: null,
  platform: true,
  brand: {
    name: "Network",
    primary_color: null,
    primary_text_color: null,
    accent_color: null,
    accent_text_color: null,
    logo_light_url: null,
    logo_dark_url: null,
    favicon_url: null,
    support_email: supportEmail,
    terms_url: null,
    privacy_url: null,
  },
});

type Viewer = { permissions: readonly Permission[]; subscription?: Subscription } | null;

/** The page as `viewer` sees it (null: a visitor), in `language`, with the platform's support address. */
async function render(viewer: Viewer, language = "en", supportEmail: string | null = null): Promise<string> {
  await i18n.changeLanguage(language);
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(billingKeys.plans, { plans: [...PLANS].reverse() });
  client.setQueryData(portalKeys.host, platform(supportEmail));
  if (viewer) {
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
    client.setQueryData(meQueryKey(user.id), { user, context, memberships: [], permissions: viewer.permissions });
    if (viewer.subscription) client.setQueryData(billingKeys.of(undefined, "subscription"), viewer.subscription);
  }
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <PricingPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

/** The `data-move` of each plan's button, by plan code. */
function moves(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-testid="plan-choose-([a-z-]+)" data-move="([a-z]+)"/g)].map((match) => [match[1], match[2]]));
}

const advertiser = (subscription: Subscription): Viewer => ({ permissions: ROLE_PERMISSIONS.advertiser, subscription });

describe("the pricing page", () => {
  it("shows a visitor the plans by rank, monthly in dollars, with what a year saves, and a trial to start", async () => {
    const html = await render(null);
    const cards = [...html.matchAll(/data-testid="plan-card-([a-z]+)"/g)].map((match) => match[1]);
    expect(cards).toEqual(["starter", "pro", "business", "enterprise"]);
    expect(html).toContain('data-testid="plan-price-pro" data-amount="149.00" data-currency="USD"');
    expect(html).toContain("$149.00");
    expect(html).toContain("or $1,430.40 a year, 20% off");
    expect(html).toContain('data-testid="interval-year"');
    expect(html).toContain('data-testid="currency-RUB"');
    expect(html).toContain('data-testid="plan-start-pro" href="/sign-up"');
    expect(html).toContain("Clicks over the limit: $0.20 per 1,000");
    expect(html).toContain("Clicks over the limit are not billed: you are asked to upgrade");
    expect(moves(html)).toEqual({});
  });

  it("opens in roubles for a Russian reader", async () => {
    const html = (await render(null, "ru")).replace(/[\u00a0\u202f]/g, " ");
    expect(html).toContain('data-testid="plan-price-starter" data-amount="4500.00" data-currency="RUB"');
    expect(html).toContain("4 500,00 ₽");
    expect(html).toContain("или 43 200,00 ₽ за год — скидка 20 %");
    expect(html).toContain("Попробовать бесплатно");
  });

  it("offers Enterprise by e-mail to the platform's support address, or in words without one", async () => {
    expect(await render(null, "en", "sales@network.example")).toMatch(/href="mailto:sales@network\.example\?subject=Enterprise%20plan"/);
    const without = await render(null);
    expect(without).not.toContain("mailto:");
    expect(without).toContain("Write to the platform&#x27;s team to agree on terms.");
  });

  it("lets an advertiser on Pro monthly upgrade, downgrade or go yearly, its own plan marked and not offered again", async () => {
    const html = await render(advertiser(subscriptionOf()));
    expect(moves(html)).toEqual({ starter: "downgrade", pro: "current", business: "upgrade" });
    expect(html).toContain('data-testid="plan-card-pro" data-rank="2" data-current="true"');
    expect(html).toContain('data-testid="plan-current-pro"');
    expect(html).not.toContain('data-testid="plan-start-');
  });

  it("lets a trialing advertiser choose any plan, its trial's plan marked", async () => {
    const html = await render(advertiser(subscriptionOf({ state: "trialing", plan: BUSINESS, trial_end: "2026-12-20T00:00:00Z" })));
    expect(moves(html)).toEqual({ starter: "choose", pro: "choose", business: "choose" });
    expect(html).toContain("Your trial");
  });

  it("shows a downgrade waiting for the period's end on the page and on the plan's button", async () => {
    // Midday, so the day is the same in any time zone the test runs in.
    const pending = { plan_code: "starter", interval: "month" as const, effective_at: "2027-01-01T12:00:00Z" };
    const html = await render(advertiser(subscriptionOf({ pending })));
    expect(moves(html).starter).toBe("scheduled");
    expect(html).toContain('data-testid="plan-change-scheduled"');
    expect(html).toContain("Your plan changes to Starter, billed monthly, on Jan 1, 2027.");
  });

  it("gives platform staff the plans to look at, nothing to choose", async () => {
    const html = await render({ permissions: ROLE_PERMISSIONS.support });
    expect(moves(html)).toEqual({});
    expect(html).not.toContain('data-testid="plan-start-');
    expect(html).toContain('data-testid="plan-card-business"');
  });
});
