import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "@/api/api-error";
import { readPlanLimit } from "@/api/plan-limit";

const refused = (error: Record<string, unknown>) => toApiError(403, { error: { code: "plan_limit", message: "plan limit", ...error } });

describe("a plan_limit refusal", () => {
  it("lists every limit a refused downgrade names, with its usage and what the lower plan allows", () => {
    const error = refused({
      plan: "starter",
      upgrade_to: null,
      excess: [
        { limit: "active_offers", usage: 12, allowed: 5 },
        { limit: "team_seats", usage: 4, allowed: 2 },
      ],
    });
    expect(readPlanLimit(error)).toEqual({
      excess: [
        { limit: "active_offers", usage: 12, allowed: 5 },
        { limit: "team_seats", usage: 4, allowed: 2 },
      ],
      plan: "starter",
      upgradeTo: null,
    });
  });

  it("reads the one limit of any other refusal from the envelope itself, and the plan that lifts it", () => {
    const error = refused({ limit: "approved_affiliates", usage: 50, allowed: 50, plan: "starter", upgrade_to: "pro" });
    expect(readPlanLimit(error)).toEqual({ excess: [{ limit: "approved_affiliates", usage: 50, allowed: 50 }], plan: "starter", upgradeTo: "pro" });
  });

  it("takes each member as optional: what is missing or of the wrong kind is null, an entry without a limit is left out", () => {
    const error = refused({ excess: [{ limit: "custom_domains", usage: "2" }, { usage: 3, allowed: 1 }, "team_seats", null], upgrade_to: 7 });
    expect(readPlanLimit(error)).toEqual({ excess: [{ limit: "custom_domains", usage: null, allowed: null }], plan: null, upgradeTo: null });
    expect(readPlanLimit(refused({}))).toEqual({ excess: [], plan: null, upgradeTo: null });
  });

  it("falls back to the envelope's own limit when the excess list has nothing readable", () => {
    expect(readPlanLimit(refused({ excess: [], limit: "white_label", allowed: 0 }))?.excess).toEqual([{ limit: "white_label", usage: null, allowed: 0 }]);
  });

  it("is no refusal for any other error", () => {
    expect(readPlanLimit(toApiError(403, { error: { code: "forbidden", message: "no", limit: "active_offers" } }))).toBeNull();
    expect(readPlanLimit(new ApiError(0, "network_error", "offline"))).toBeNull();
    expect(readPlanLimit(new Error("plan_limit"))).toBeNull();
    expect(readPlanLimit(null)).toBeNull();
  });
});
