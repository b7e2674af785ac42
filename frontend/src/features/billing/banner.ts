import type { Subscription } from "@/api/types";

const DAY_MS = 86_400_000;

/** A trial is announced in the app's banner from this many days before it ends. */
export const TRIAL_BANNER_DAYS = 3;

/** What the app's banner tells an advertiser about its subscription. */
export type BillingBanner =
  { kind: "trial_ending"; daysLeft: number; trialEnd: string } | { kind: "past_due"; suspendsAt: string | null } | { kind: "suspended" } | { kind: "canceled" };

/** Whole days until `until`, a part of a day counting as one; 0 once it has passed. */
export function daysUntil(until: string, now: Date): number {
  const end = Date.parse(until);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.ceil((end - now.getTime()) / DAY_MS));
}

/**
 * The banner a subscription calls for now: a trial in its last days, a payment overdue, a
 * subscription suspended or ended; null while all is well (or before the subscription is known).
 */
export function bannerFor(subscription: Subscription | undefined, now: Date): BillingBanner | null {
  if (!subscription) return null;
  switch (subscription.state) {
    case "trialing": {
      if (!subscription.trial_end) return null;
      const daysLeft = daysUntil(subscription.trial_end, now);
      return daysLeft <= TRIAL_BANNER_DAYS ? { kind: "trial_ending", daysLeft, trialEnd: subscription.trial_end } : null;
    }
    case "past_due":
      return { kind: "past_due", suspendsAt: subscription.suspends_at };
    case "suspended":
      return { kind: "suspended" };
    case "canceled":
      return { kind: "canceled" };
    case "active":
      return null;
  }
}

/** The pages a locked subscription still opens: where it is paid and a plan chosen. */
const BILLING_PAGES = ["/billing", "/pricing"];

/** Whether an advertiser whose subscription the API says is inactive is sent from `pathname` to the billing page. */
export function leavesForBilling(pathname: string): boolean {
  return !BILLING_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}
