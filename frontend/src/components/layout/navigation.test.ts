import { describe, expect, it } from "vitest";
import type { Role } from "@/api/types";
import { navigationFor, permissionFor } from "@/components/layout/navigation";
import { grantedTo, ROLES } from "@/features/auth/matrix.fixture";
import { permits } from "@/features/auth/permissions";

const paths = (role: Role) => navigationFor(grantedTo(role)).map((item) => item.labelKey);
const targets = (role: Role) => navigationFor(grantedTo(role)).map((item) => item.to);
/** The roles whose permissions open a path, as the route guards decide. */
const rolesFor = (path: string) => ROLES.filter((role) => permits(grantedTo(role), permissionFor(path))).sort();

describe("sidebar by the permissions /api/me lists for each role", () => {
  it("gives platform admins offers, conversions, fraud rules and block lists with users, advertisers, the monitor, domains, billing and the audit log", () => {
    const expected = [
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "fraud.nav",
      "nav.reports",
      "fraudReport.nav",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.users",
      "nav.advertisers",
      "nav.monitor",
      "nav.domains",
      "blocks.nav",
      "nav.audit",
      "nav.billing",
      "nav.account",
    ];
    expect(paths("platform_admin")).toEqual(expected);
    // The platform's own revenue, its plans and advertisers' brands are the Owner's alone.
    expect(paths("owner")).toEqual([...expected.slice(0, 13), "nav.subscriptions", "nav.plans", "nav.brand", ...expected.slice(13)]);
  });

  it("gives support read access to offers, conversions, fraud rules, statistics, finance, users, advertisers, deliveries, domains, block lists, billing and the audit log, but not the monitor or brands", () => {
    expect(paths("support")).toEqual([
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "fraud.nav",
      "nav.reports",
      "fraudReport.nav",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.users",
      "nav.advertisers",
      "nav.domains",
      "blocks.nav",
      "nav.audit",
      "nav.billing",
      "nav.account",
    ]);
  });

  it("gives advertisers their workspace", () => {
    expect(paths("advertiser")).toEqual([
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "fraud.nav",
      "nav.reports",
      "fraudReport.nav",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.webhooks",
      "nav.affiliates",
      "nav.registrationLinks",
      "nav.team",
      "nav.apiKeys",
      "nav.settings",
      "nav.brand",
      "nav.domains",
      "blocks.nav",
      "nav.audit",
      "nav.billing",
      "nav.account",
    ]);
  });

  it("puts conversions right after offers for advertisers", () => {
    expect(targets("advertiser").slice(1, 3)).toEqual(["/offers", "/conversions"]);
  });

  it("gives affiliates their offers, conversions, the link builder, postbacks, webhooks and their advertisers", () => {
    expect(paths("affiliate")).toEqual([
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "nav.linkBuilder",
      "nav.postbacks",
      "nav.reports",
      "fraudReport.nav",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.webhooks",
      "nav.myAdvertisers",
      "nav.account",
    ]);
    expect(targets("affiliate").slice(1, 4)).toEqual(["/my/offers", "/my/conversions", "/link-builder"]);
  });

  it("guards each route with the permissions that show it in the sidebar", () => {
    expect(rolesFor("/memberships")).toEqual(["advertiser", "affiliate"]);
    expect(rolesFor("/users")).toEqual(["owner", "platform_admin", "support"]);
    expect(rolesFor("/offers")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/my/offers")).toEqual(["affiliate"]);
    expect(rolesFor("/conversions")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/fraud-rules")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/my/conversions")).toEqual(["affiliate"]);
    expect(rolesFor("/link-builder")).toEqual(["affiliate"]);
    expect(rolesFor("/clicks")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/reports")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/fraud-report")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/exports")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/postbacks")).toEqual(["affiliate"]);
    expect(rolesFor("/webhooks")).toEqual(["advertiser", "affiliate"]);
    expect(rolesFor("/deliveries")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/finance")).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/monitor")).toEqual(["owner", "platform_admin"]);
    expect(rolesFor("/advertisers")).toEqual(["owner", "platform_admin", "support"]);
    expect(rolesFor("/brand")).toEqual(["advertiser", "owner"]);
    expect(rolesFor("/domains")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/block-lists")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/billing")).toEqual(["advertiser", "owner", "platform_admin", "support"]);
    expect(rolesFor("/admin/billing")).toEqual(["owner"]);
    expect(rolesFor("/admin/plans")).toEqual(["owner"]);
    expect(rolesFor("/nowhere")).toEqual([]);
  });
});
