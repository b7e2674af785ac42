import { ApiError } from "@/api/api-error";

/** One limit of a plan and where the advertiser stands against it; a number the answer left out is null. */
export type LimitExcess = { limit: string; usage: number | null; allowed: number | null };

/**
 * What a `plan_limit` refusal says: the limits in the way (a refused downgrade lists every one, any
 * other refusal the one it hit), the plan they are of, and the plan that lifts them.
 */
export type PlanLimitRefusal = { excess: LimitExcess[]; plan: string | null; upgradeTo: string | null };

const count = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

function excessOf(value: unknown): LimitExcess[] {
  if (!value || typeof value !== "object") return [];
  const { limit, usage, allowed } = value as Record<string, unknown>;
  const name = text(limit);
  return name ? [{ limit: name, usage: count(usage), allowed: count(allowed) }] : [];
}

/**
 * The refusal in a `plan_limit` error, or null for any other error. The envelope is read as the API
 * may send it, each member optional: `excess: [{limit, usage, allowed}]`, or `limit`, `usage` and
 * `allowed` of the one limit, with `plan` and `upgrade_to`.
 */
export function readPlanLimit(error: unknown): PlanLimitRefusal | null {
  if (!(error instanceof ApiError) || error.code !== "plan_limit") return null;
  const fields = error.envelope;
  const listed = Array.isArray(fields.excess) ? fields.excess.flatMap(excessOf) : [];
  return { excess: listed.length > 0 ? listed : excessOf(fields), plan: text(fields.plan), upgradeTo: text(fields.upgrade_to) };
}
