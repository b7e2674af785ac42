import type { TFunction } from "i18next";
import type { Conversion, FraudAction, FraudFlag, FraudReason, FraudRule, FraudRulesInput } from "@/api/types";

export const FRAUD_FLAGS = ["bot", "datacenter", "ip_flood", "duplicate_visitor", "too_fast", "too_slow"] as const satisfies readonly FraudFlag[];
export const FRAUD_ACTIONS = ["accepted", "held", "rejected"] as const satisfies readonly FraudAction[];
export const FRAUD_REASONS = ["fraud", "duplicate", "invalid_data", "not_paid", "test", "other"] as const satisfies readonly FraudReason[];

type TimedFlag = "too_fast" | "too_slow";
/** The time rules' limits as the form asks them: the minimum in seconds, the maximum in hours (up to the API's year). */
export const TIME_UNITS: Record<TimedFlag, { seconds: number; max: number }> = {
  too_fast: { seconds: 1, max: 86_400 },
  too_slow: { seconds: 3600, max: 8784 },
};

export const isTimed = (flag: FraudFlag): flag is TimedFlag => flag === "too_fast" || flag === "too_slow";

/** One flag's rule as the form edits it. `action` "" is no rule of its own: the offer follows the advertiser's rule. */
export type RuleDraft = { action: FraudAction | ""; reason: FraudReason; limit: string };
export type RulesDraft = Record<FraudFlag, RuleDraft>;

/** The form's rows for stored rules; a flag without a rule starts at `empty` (accept for the advertiser, inherit for an offer). */
export function draftOf(rules: Partial<Record<string, FraudRule>>, empty: FraudAction | ""): RulesDraft {
  const rows = {} as RulesDraft;
  for (const flag of FRAUD_FLAGS) {
    const rule = rules[flag];
    const limit = rule?.seconds != null && isTimed(flag) ? String(rule.seconds / TIME_UNITS[flag].seconds) : "";
    rows[flag] = { action: rule?.action ?? empty, reason: rule?.reason ?? "fraud", limit };
  }
  return rows;
}

/** What is wrong with the form, by flag, as i18n keys; empty when it may be saved. */
export function rulesProblems(draft: RulesDraft): Partial<Record<FraudFlag, string>> {
  const problems: Partial<Record<FraudFlag, string>> = {};
  const seconds: Partial<Record<TimedFlag, number>> = {};
  for (const flag of ["too_fast", "too_slow"] as const) {
    const row = draft[flag];
    if (row.action === "" || row.action === "accepted") continue;
    const value = Number(row.limit.trim());
    if (row.limit.trim() === "" || !Number.isInteger(value) || value < 1 || value > TIME_UNITS[flag].max) {
      problems[flag] = `fraud.validation.${flag}`;
      continue;
    }
    seconds[flag] = value * TIME_UNITS[flag].seconds;
  }
  if (seconds.too_fast !== undefined && seconds.too_slow !== undefined && seconds.too_fast >= seconds.too_slow) {
    problems.too_slow = "fraud.validation.window";
  }
  return problems;
}

/** The API's body for a valid form: a rule for every flag with an action of its own; a reason only with a rejection, a limit only with a time rule that acts. */
export function toRulesInput(draft: RulesDraft): FraudRulesInput {
  const rules: NonNullable<FraudRulesInput["rules"]> = {};
  for (const flag of FRAUD_FLAGS) {
    const row = draft[flag];
    if (row.action === "") continue;
    const acts = row.action !== "accepted";
    rules[flag] = {
      action: row.action,
      ...(row.action === "rejected" ? { reason: row.reason } : {}),
      ...(acts && isTimed(flag) ? { seconds: Number(row.limit.trim()) * TIME_UNITS[flag].seconds } : {}),
    };
  }
  return { rules };
}

/** A number of seconds in the largest whole unit that fits, in the reader's language ("45 sec", "2 hr", "3 days"). */
export function formatDuration(seconds: number, language: string): string {
  const units = [
    ["day", 86_400],
    ["hour", 3600],
    ["minute", 60],
  ] as const;
  const [unit, size] = units.find(([, size]) => seconds >= size && seconds % size === 0) ?? ["second", 1];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(seconds / size);
}

/** Why a fraud rule held or rejected a conversion, in the reader's language, from its flag and details; null when no rule acted. */
export function screeningText(t: TFunction, conversion: Conversion, language: string): string | null {
  const { screening, screening_flag: flag, screening_detail: detail } = conversion;
  if (!screening || !flag) return null;
  const number = (name: string) => (typeof detail[name] === "number" ? (detail[name] as number) : Number(detail[name] ?? 0));
  let why: string;
  if (flag === "datacenter") {
    const name = String(detail.network ?? "");
    const network = detail.asn !== undefined && name !== `AS${detail.asn}` ? `AS${detail.asn} (${name})` : name;
    why = t("fraud.why.datacenter", { network });
  } else if (flag === "too_fast") {
    why = t("fraud.why.too_fast", { elapsed: formatDuration(number("seconds"), language), limit: formatDuration(number("minimum"), language) });
  } else if (flag === "too_slow") {
    why = t("fraud.why.too_slow", { elapsed: formatDuration(number("seconds"), language), limit: formatDuration(number("maximum"), language) });
  } else {
    why = t(`fraud.why.${flag}`);
  }
  return t(`fraud.screening.${screening}`, { why });
}
