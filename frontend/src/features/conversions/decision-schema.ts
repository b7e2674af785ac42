import { z } from "zod";
import type { ConversionDecision, ConversionDecisionStatus, RejectionReason } from "@/api/types";

export const DECISIONS = ["approved", "rejected"] as const satisfies readonly ConversionDecisionStatus[];
/** The reasons an advertiser may give; `cap_reached` is the tracker's own and is not offered. */
export const REJECTION_REASONS = ["fraud", "duplicate", "invalid_data", "not_paid", "test", "other"] as const satisfies readonly RejectionReason[];

/** A decision on conversions, as the reject and upload dialogs collect it; messages are i18n keys. */
export const decisionSchema = z
  .object({ status: z.enum(DECISIONS), reason: z.union([z.enum(REJECTION_REASONS), z.literal("")]) })
  .superRefine((values, ctx) => {
    if (values.status === "rejected" && values.reason === "") {
      ctx.addIssue({ code: "custom", message: "conversions.validation.reasonRequired", path: ["reason"] });
    }
  });

export type DecisionValues = z.infer<typeof decisionSchema>;

/** What a decision is about: conversions picked in the table, or the text of an uploaded CSV. */
export type DecisionTarget = { ids: string[] } | { csv: string };

/** The API's body for a validated decision; a reason goes only with a rejection. */
export function toDecisionBody(values: DecisionValues, target: DecisionTarget): ConversionDecision {
  const reason = values.status === "rejected" && values.reason !== "" ? { reason: values.reason } : {};
  return { status: values.status, ...reason, ...target };
}
