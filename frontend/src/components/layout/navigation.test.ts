import { describe, expect, it } from "vitest";
import { navigationFor, rolesFor } from "@/components/layout/navigation";

const paths = (role: Parameters<typeof navigationFor>[0]) => navigationFor(role).map((item) => item.labelKey);

describe("sidebar per role", () => {
  it("gives owners and platform admins users, advertisers and the audit log", () => {
    const expected = [
      "nav.dashboard",
      "nav.reports",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.users",
      "nav.advertisers",
      "nav.monitor",
      "nav.audit",
      "nav.account",
    ];
    expect(paths("owner")).toEqual(expected);
    expect(paths("platform_admin")).toEqual(expected);
  });

  it("gives support read access to statistics, finance, users, deliveries and the audit log, but not the monitor", () => {
    expect(paths("support")).toEqual([
      "nav.dashboard",
      "nav.reports",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.users",
      "nav.audit",
      "nav.account",
    ]);
  });

  it("gives advertisers their workspace", () => {
    expect(paths("advertiser")).toEqual([
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "nav.reports",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.affiliates",
      "nav.registrationLinks",
      "nav.team",
      "nav.apiKeys",
      "nav.settings",
      "nav.audit",
      "nav.account",
    ]);
  });

  it("puts conversions right after offers for advertisers", () => {
    expect(
      navigationFor("advertiser")
        .map((item) => item.to)
        .slice(1, 3),
    ).toEqual(["/offers", "/conversions"]);
  });

  it("gives affiliates their offers, conversions, the link builder, postbacks and their advertisers", () => {
    expect(paths("affiliate")).toEqual([
      "nav.dashboard",
      "nav.offers",
      "nav.conversions",
      "nav.linkBuilder",
      "nav.postbacks",
      "nav.reports",
      "nav.logs",
      "nav.exports",
      "nav.finance",
      "nav.deliveries",
      "nav.myAdvertisers",
      "nav.account",
    ]);
    expect(
      navigationFor("affiliate")
        .map((item) => item.to)
        .slice(1, 4),
    ).toEqual(["/my/offers", "/my/conversions", "/link-builder"]);
  });

  it("guards each route with the roles whose sidebar shows it", () => {
    expect(rolesFor("/memberships").sort()).toEqual(["advertiser", "affiliate"]);
    expect(rolesFor("/users").sort()).toEqual(["owner", "platform_admin", "support"]);
    expect(rolesFor("/offers")).toEqual(["advertiser"]);
    expect(rolesFor("/my/offers")).toEqual(["affiliate"]);
    expect(rolesFor("/conversions")).toEqual(["advertiser"]);
    expect(rolesFor("/my/conversions")).toEqual(["affiliate"]);
    expect(rolesFor("/link-builder")).toEqual(["affiliate"]);
    expect(rolesFor("/clicks").sort()).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/reports").sort()).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/exports").sort()).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/postbacks")).toEqual(["affiliate"]);
    expect(rolesFor("/deliveries").sort()).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/finance").sort()).toEqual(["advertiser", "affiliate", "owner", "platform_admin", "support"]);
    expect(rolesFor("/monitor").sort()).toEqual(["owner", "platform_admin"]);
    expect(rolesFor("/nowhere")).toEqual([]);
  });
});
