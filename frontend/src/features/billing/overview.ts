import type { PlanStateCount, SubscriptionState } from "@/api/types";
import { SUBSCRIPTION_STATES } from "@/features/billing/plan-words";

/** One plan's subscriptions counted by state, and all of them. */
export type PlanStates = { plan: string; counts: Record<SubscriptionState, number>; total: number };

const noCounts = (): Record<SubscriptionState, number> =>
  Object.fromEntries(SUBSCRIPTION_STATES.map((state) => [state, 0])) as Record<SubscriptionState, number>;

/**
 * The overview's (plan, state, count) rows as a table: a line per plan in `order` (the plans' ranks;
 * a plan not in it, say one no longer listed, after them by code), a column per state.
 */
export function subscriptionsByPlan(rows: readonly PlanStateCount[], order: readonly string[] = []): PlanStates[] {
  const byPlan = new Map<string, PlanStates>();
  for (const row of rows) {
    const line = byPlan.get(row.plan_code) ?? { plan: row.plan_code, counts: noCounts(), total: 0 };
    line.counts[row.state] += row.count;
    line.total += row.count;
    byPlan.set(row.plan_code, line);
  }
  const rank = (plan: string) => {
    const at = order.indexOf(plan);
    return at < 0 ? order.length : at;
  };
  return [...byPlan.values()].sort((a, b) => rank(a.plan) - rank(b.plan) || a.plan.localeCompare(b.plan));
}

/** A month's churn in percent (canceled over active at its start), from basis points; null without subscribers. */
export function churnPercent(rateBp: number | null): number | null {
  return rateBp === null ? null : rateBp / 100;
}

/** Whole days an invoice is overdue on `now` (0 before and on its due day). */
export function daysOverdue(dueAt: string, now: Date): number {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 0;
  return Math.max(0, Math.floor((now.getTime() - due) / 86_400_000));
}
