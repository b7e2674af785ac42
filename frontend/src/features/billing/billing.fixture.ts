import type { Meter, Plan, PlatformInvoice, Subscription } from "@/api/types";

/**
 * For tests only: the catalogue's default plans as `GET /api/plans` answers them (partnerka/billing/
 * catalogue.py: monthly prices, yearly at 20 % off), and a subscription to change in each test.
 */
function price(currency: string, monthly: string, yearly: string, saving: string, overage: string | null) {
  return { currency, monthly, yearly, yearly_saving: saving, overage_per_1000: overage };
}

const updated = "2026-12-01T00:00:00Z";

export const STARTER: Plan = {
  code: "starter",
  name: "Starter",
  version: 1,
  contact_us: false,
  public: true,
  rank: 1,
  updated_at: updated,
  limits: { clicks_per_month: 100_000, active_offers: 5, approved_affiliates: 50, team_seats: 2, custom_domains: 0, white_label: false },
  prices: [
    price("EUR", "45.00", "432.00", "108.00", null),
    price("RUB", "4500.00", "43200.00", "10800.00", null),
    price("USD", "49.00", "470.40", "117.60", null),
  ],
};

export const PRO: Plan = {
  code: "pro",
  name: "Pro",
  version: 3,
  contact_us: false,
  public: true,
  rank: 2,
  updated_at: updated,
  limits: { clicks_per_month: 1_000_000, active_offers: 25, approved_affiliates: 500, team_seats: 5, custom_domains: 1, white_label: true },
  prices: [
    price("EUR", "139.00", "1334.40", "333.60", "0.18"),
    price("RUB", "13500.00", "129600.00", "32400.00", "18.00"),
    price("USD", "149.00", "1430.40", "357.60", "0.20"),
  ],
};

export const BUSINESS: Plan = {
  code: "business",
  name: "Business",
  version: 1,
  contact_us: false,
  public: true,
  rank: 3,
  updated_at: updated,
  limits: { clicks_per_month: 5_000_000, active_offers: 100, approved_affiliates: 5000, team_seats: 20, custom_domains: 5, white_label: true },
  prices: [
    price("EUR", "369.00", "3542.40", "885.60", "0.09"),
    price("RUB", "36000.00", "345600.00", "86400.00", "9.00"),
    price("USD", "399.00", "3830.40", "957.60", "0.10"),
  ],
};

export const ENTERPRISE: Plan = {
  code: "enterprise",
  name: "Enterprise",
  version: 1,
  contact_us: true,
  public: true,
  rank: 4,
  updated_at: updated,
  limits: { clicks_per_month: null, active_offers: null, approved_affiliates: null, team_seats: null, custom_domains: null, white_label: true },
  prices: [],
};

export const PLANS: Plan[] = [STARTER, PRO, BUSINESS, ENTERPRISE];

/** An active monthly Pro subscription in US dollars; each test changes what it is about. */
export function subscriptionOf(changes: Partial<Subscription> = {}): Subscription {
  return {
    advertiser_id: "adv_1",
    state: "active",
    plan: PRO,
    plan_version: 3,
    interval: "month",
    currency: "USD",
    price: "149.00",
    period_start: "2026-12-01T00:00:00Z",
    period_end: "2027-01-01T00:00:00Z",
    trial_end: null,
    cancel_at_period_end: false,
    pending: null,
    payment_method: "card",
    has_card: true,
    past_due_since: null,
    suspends_at: null,
    next_invoice: { date: "2027-01-01T00:00:00Z", amount: "149.00", currency: "USD" },
    custom_terms: null,
    ...changes,
  };
}

export function meterOf(limit: Meter["limit"], usage: number, allowed: number | null, percent: number | null = null): Meter {
  return { limit, usage, allowed, percent };
}

export function invoiceOf(changes: Partial<PlatformInvoice> = {}): PlatformInvoice {
  return {
    invoice_id: "subscription.2026-12",
    number: "P-000001",
    kind: "subscription",
    period_start: "2026-12-01T00:00:00Z",
    period_end: "2027-01-01T00:00:00Z",
    currency: "USD",
    total: "149.00",
    status: "open",
    issued_at: "2026-12-01T00:00:00Z",
    due_at: "2026-12-15T00:00:00Z",
    paid_at: null,
    payment_reference: null,
    plan_code: "pro",
    lines: [],
    ...changes,
  };
}
