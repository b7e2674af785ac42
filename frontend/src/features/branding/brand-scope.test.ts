import { describe, expect, it } from "vitest";
import type { SessionState } from "@/api/session-store";
import type { Permission, Portal, User } from "@/api/types";
import { brandedAdvertiser } from "@/features/branding/brand-scope";
import { grantedTo } from "@/features/auth/matrix.fixture";

const brand = {
  name: "Shown",
  primary_color: null,
  primary_text_color: null,
  accent_color: null,
  accent_text_color: null,
  logo_light_url: null,
  logo_dark_url: null,
  favicon_url: null,
  support_email: null,
  terms_url: null,
  privacy_url: null,
};
const platformHost: Portal = { advertiser_id: null, platform: true, brand };
const acmePortal: Portal = { advertiser_id: "adv_acme", platform: false, brand };

function session(role: User["role"], context: string | null): SessionState {
  const user = { id: `u_${role}`, role } as User;
  return { accessToken: "token", user, context: { advertiser_id: context, advertiser_name: context } };
}
const known = (role: User["role"]) => ({ data: [...grantedTo(role)] as Permission[], isError: false });
const loading = { data: undefined, isError: false };

describe("whose brand a page shows beyond its host's", () => {
  it("is the advertiser an affiliate works for, on the platform's own host, and follows a context switch", () => {
    expect(brandedAdvertiser(platformHost, session("affiliate", "adv_acme"), known("affiliate"))).toBe("adv_acme");
    expect(brandedAdvertiser(platformHost, session("affiliate", "adv_globex"), known("affiliate"))).toBe("adv_globex");
  });

  it("is the host's own for an affiliate that has chosen no advertiser, a visitor, staff and an advertiser's team", () => {
    expect(brandedAdvertiser(platformHost, session("affiliate", null), known("affiliate"))).toBeNull();
    expect(brandedAdvertiser(platformHost, null, loading)).toBeNull();
    expect(brandedAdvertiser(platformHost, session("owner", null), known("owner"))).toBeNull();
    expect(brandedAdvertiser(platformHost, session("advertiser", "adv_acme"), known("advertiser"))).toBeNull();
  });

  it("is always the portal's own on an advertiser's portal domain", () => {
    expect(brandedAdvertiser(acmePortal, session("affiliate", "adv_globex"), known("affiliate"))).toBeNull();
    expect(brandedAdvertiser(acmePortal, session("affiliate", "adv_globex"), loading)).toBeNull();
  });

  it("cannot be told before the host answers, or while a signed-in user's permissions are on the way", () => {
    expect(brandedAdvertiser(undefined, null, loading)).toBeUndefined();
    expect(brandedAdvertiser(platformHost, session("affiliate", "adv_acme"), loading)).toBeUndefined();
  });

  it("falls back to the host's when the permissions could not be read", () => {
    expect(brandedAdvertiser(platformHost, session("affiliate", "adv_acme"), { data: undefined, isError: true })).toBeNull();
  });
});
