import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { BillingProfile, Permission, PlatformInvoice, Subscription, Usage, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { invoiceOf, meterOf, PLANS, subscriptionOf } from "@/features/billing/billing.fixture";
import { BillingPage } from "@/features/billing/billing-page";
import { billingKeys } from "@/features/billing/use-billing";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: every answer the page needs is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const usage: Usage = {
  month: "2026-12",
  plan_code: "pro",
  meters: [
    meterOf("white_label", 1, 1, 100),
    meterOf("active_offers", 25, 25, 100),
    meterOf("clicks_per_month", 850_000, 1_000_000, 85),
    meterOf("approved_affiliates", 120, 500, 24),
    meterOf("team_seats", 3, null, null),
    meterOf("custom_domains", 0, 0, null),
  ],
  overage: null,
};

const profile: BillingProfile = { legal_name: "Acme Shoes Ltd", address: "1 Main St", tax_id: "GB123", email: "", locale: "en", payment_method: "card" };

type Answers = { subscription: Subscription; usage?: Usage; invoices?: PlatformInvoice[] };

function render(permissions: readonly Permission[], { subscription, usage: used = usage, invoices = [] }: Answers): string {
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
  client.setQueryData(meQueryKey(user.id), { user, context, memberships: [], permissions });
  client.setQueryData(billingKeys.plans, { plans: PLANS });
  client.setQueryData(billingKeys.of(undefined, "subscription"), subscription);
  client.setQueryData(billingKeys.of(undefined, "usage"), used);
  client.setQueryData(billingKeys.of(undefined, "invoices"), { invoices });
  client.setQueryData(billingKeys.of(undefined, "profile"), profile);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <BillingPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

/** The `data-level` of each meter, by limit. */
function levels(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-testid="meter-([a-z_]+)" data-level="([a-z]+)"/g)].map((match) => [match[1], match[2]]));
}

describe("the billing page", () => {
  it("shows the plan, its state and a meter per limit, amber from 80 % and red at the limit", () => {
    const html = render(ROLE_PERMISSIONS.advertiser, { subscription: subscriptionOf() });
    expect(html).toContain('data-testid="plan-name" data-plan="pro"');
    expect(html).toContain('data-testid="subscription-state" data-state="active"');
    expect(levels(html)).toEqual({
      clicks_per_month: "warning",
      active_offers: "full",
      approved_affiliates: "ok",
      team_seats: "unlimited",
      custom_domains: "excluded",
      white_label: "ok",
    });
    expect(html).toContain("850,000 of 1,000,000");
    expect(html).toContain("3 · unlimited");
    expect(html).toContain("Usage in December 2026");
    expect(html).toContain('data-testid="change-plan"');
    expect(html).toContain('data-testid="cancel-subscription"');
  });

  it("asks an advertiser whose payment is overdue to pay the invoice due first, by the day it would be suspended", () => {
    const subscription = subscriptionOf({ state: "past_due", past_due_since: "2026-12-01T12:00:00Z", suspends_at: "2026-12-15T12:00:00Z" });
    const invoices = [
      invoiceOf({ invoice_id: "overage.2026-12", number: "P-000004", total: "12.40", due_at: "2026-12-20T00:00:00Z" }),
      invoiceOf({ invoice_id: "subscription.2026-12", number: "P-000003", due_at: "2026-12-01T00:00:00Z" }),
      invoiceOf({ invoice_id: "subscription.2026-11", number: "P-000002", status: "paid", paid_at: "2026-11-02T00:00:00Z" }),
    ];
    const html = render(ROLE_PERMISSIONS.advertiser, { subscription, invoices });
    expect(html).toContain('data-testid="subscription-past-due"');
    expect(html).toContain("Pay by Dec 15, 2026");
    expect(html).toMatch(/data-testid="pay-overdue" data-invoice="subscription\.2026-12"/);
    // Every open invoice has its own Pay button; the paid one its PDFs only.
    expect([...html.matchAll(/data-testid="pay-invoice" data-invoice="([^"]+)"/g)].map((match) => match[1])).toEqual([
      "overage.2026-12",
      "subscription.2026-12",
    ]);
    expect(html).toContain('data-testid="billing-invoice-pdf-ru" data-invoice="subscription.2026-11"');
  });

  it("offers to resume a subscription that ends at the period's end, and no cancel", () => {
    const html = render(ROLE_PERMISSIONS.advertiser, { subscription: subscriptionOf({ cancel_at_period_end: true, period_end: "2027-01-01T12:00:00Z" }) });
    expect(html).toContain('data-testid="resume-subscription"');
    expect(html).toContain("Your subscription ends on Jan 1, 2027.");
    expect(html).not.toContain('data-testid="cancel-subscription"');
  });

  it("shows the clicks over the limit and what they add to the next invoice", () => {
    const over: Usage = { ...usage, overage: { clicks: 12_000, amount: "2.40", currency: "USD" } };
    const html = render(ROLE_PERMISSIONS.advertiser, { subscription: subscriptionOf(), usage: over });
    expect(html).toContain('data-testid="overage" data-clicks="12000" data-amount="2.40"');
    expect(html).toContain("12,000 clicks over the monthly limit: $2.40 on your next invoice.");
  });

  it("lets someone who only reads the subscription see everything and change nothing", () => {
    const html = render(["billing:read:own"], {
      subscription: subscriptionOf({ state: "past_due", suspends_at: "2026-12-15T12:00:00Z" }),
      invoices: [invoiceOf()],
    });
    expect(html).toContain('data-testid="meter-clicks_per_month"');
    expect(html).not.toContain('data-testid="pay-');
    expect(html).not.toContain('data-testid="change-plan"');
    expect(html).not.toContain('data-testid="cancel-subscription"');
    expect(html).not.toContain('data-testid="billing-profile-save"');
  });

  it("asks platform staff to pick an advertiser first", () => {
    const html = render(ROLE_PERMISSIONS.support, { subscription: subscriptionOf() });
    expect(html).toContain('data-testid="billing-advertiser"');
    expect(html).toContain("Pick an advertiser");
    expect(html).not.toContain('data-testid="subscription-card"');
  });
});
