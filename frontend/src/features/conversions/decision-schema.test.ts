import { describe, expect, it } from "vitest";
import { decisionSchema, REJECTION_REASONS, toDecisionBody, type DecisionValues } from "@/features/conversions/decision-schema";

/** The i18n keys of the issues at one path of the form. */
function issuesAt(values: DecisionValues, path: string): string[] {
  const result = decisionSchema.safeParse(values);
  if (result.success) return [];
  return result.error.issues.filter((issue) => issue.path.join(".") === path).map((issue) => issue.message);
}

describe("decision schema", () => {
  it("refuses a rejection without a reason", () => {
    expect(issuesAt({ status: "rejected", reason: "" }, "reason")).toEqual(["conversions.validation.reasonRequired"]);
  });

  it.each(REJECTION_REASONS)("accepts a rejection for the reason %s", (reason) => {
    expect(decisionSchema.safeParse({ status: "rejected", reason }).success).toBe(true);
  });

  it("does not take the tracker's own reason from a person", () => {
    expect(decisionSchema.safeParse({ status: "rejected", reason: "cap_reached" }).success).toBe(false);
  });

  it("approves without a reason and sends none", () => {
    expect(decisionSchema.safeParse({ status: "approved", reason: "" }).success).toBe(true);
    expect(toDecisionBody({ status: "approved", reason: "fraud" }, { ids: ["c1", "c2"] })).toEqual({ status: "approved", ids: ["c1", "c2"] });
  });

  it("sends the reason with a rejection of picked conversions", () => {
    expect(toDecisionBody({ status: "rejected", reason: "fraud" }, { ids: ["c1"] })).toEqual({ status: "rejected", reason: "fraud", ids: ["c1"] });
  });
});
