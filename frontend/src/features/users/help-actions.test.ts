import { describe, expect, it, vi } from "vitest";
import type { User } from "@/api/types";
import { helpFor, identityCheckIssue } from "@/features/users/help-actions";

// Pure rules: nothing here reaches the API.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const person = (patch: Partial<User>): User => ({
  id: "usr_1",
  email: "someone@example.com",
  name: "Someone",
  role: "advertiser",
  status: "active",
  email_verified: true,
  mfa_enabled: false,
  locale: "en",
  advertiser_id: "adv_1",
  created_at: "2026-01-01T00:00:00Z",
  ...patch,
});
const SUPPORT = { helps: true, views: true, helpsStaff: false };
const OWNER = { helps: true, views: true, helpsStaff: true };

describe("the help a user's row offers", () => {
  it("offers what the person's state calls for", () => {
    expect(helpFor(person({ email_verified: false }), SUPPORT)).toEqual({ view: true, kinds: ["verification"] });
    expect(helpFor(person({ status: "invited", email_verified: false }), SUPPORT)).toEqual({ view: false, kinds: ["invitation"] });
    expect(helpFor(person({ role: "affiliate", advertiser_id: null, mfa_enabled: true }), SUPPORT)).toEqual({ view: true, kinds: ["mfa"] });
    expect(helpFor(person({ status: "blocked" }), SUPPORT)).toEqual({ view: false, kinds: [] });
  });

  it("offers support nothing for staff, and the owner every help but viewing them", () => {
    for (const role of ["owner", "platform_admin", "support"] as const) {
      const staff = person({ role, advertiser_id: null, mfa_enabled: true });
      expect(helpFor(staff, SUPPORT)).toEqual({ view: false, kinds: [] });
      expect(helpFor(staff, OWNER)).toEqual({ view: false, kinds: ["mfa"] });
    }
  });

  it("offers only what the signed-in user's permissions allow", () => {
    const lost = person({ mfa_enabled: true });
    expect(helpFor(lost, { helps: false, views: true, helpsStaff: false })).toEqual({ view: true, kinds: [] });
    expect(helpFor(lost, { helps: true, views: false, helpsStaff: false })).toEqual({ view: false, kinds: ["mfa"] });
  });
});

describe("the identity check a 2FA reset asks for", () => {
  it("is a sentence of 10 to 500 characters, counted as the API counts it", () => {
    expect(identityCheckIssue("")).toBe("support.mfa.checkTooShort");
    expect(identityCheckIssue("  ok      ok  ")).toBe("support.mfa.checkTooShort");
    expect(identityCheckIssue("video call, passport matched")).toBeNull();
    expect(identityCheckIssue("x".repeat(500))).toBeNull();
    expect(identityCheckIssue("x".repeat(501))).toBe("support.mfa.checkTooLong");
  });
});
