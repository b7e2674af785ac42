import { describe, expect, it } from "vitest";
import {
  activeFilters,
  exportRequest,
  filtersFromParams,
  logFromParams,
  logQuery,
  nextSort,
  reportFromParams,
  reportOrder,
  reportQuery,
  scopeFromParams,
  withNextPage,
  withParams,
  withPreviousPage,
} from "@/features/stats/stats-params";

const now = new Date("2026-03-15T12:00:00Z");
const options = { staff: true, defaultTz: "UTC", now };
const params = (query: string) => new URLSearchParams(query);

describe("filtersFromParams", () => {
  it("reads every filter by its API name", () => {
    const url = "offer_id=off_1&affiliate_id=aff_2&country=de&device=mobile&os=iOS&browser=Safari&sub1=blog&sub10=x&click_id=c-1";
    expect(filtersFromParams(params(url))).toEqual({
      offer_id: "off_1",
      affiliate_id: "aff_2",
      country: "DE",
      device: "mobile",
      os: "iOS",
      browser: "Safari",
      sub1: "blog",
      sub10: "x",
      click_id: "c-1",
    });
  });

  it("leaves out blanks, countries that are not two letters and values too long for the API", () => {
    expect(filtersFromParams(params(`country=DEU&sub2=%20%20&offer_id=${"o".repeat(41)}&os=${"x".repeat(40)}`))).toEqual({ os: "x".repeat(40) });
  });

  it("ignores parameters that are not filters", () => {
    expect(filtersFromParams(params("group_by=offer&sort=clicks&sub11=a"))).toEqual({});
  });
});

describe("scopeFromParams", () => {
  it("defaults to the last 7 days in the browser's zone", () => {
    expect(scopeFromParams(params(""), options)).toEqual({ choice: "last7", from: "2026-03-09", to: "2026-03-15", tz: "UTC" });
  });

  it("keeps a known time zone and reads presets in it", () => {
    const scope = scopeFromParams(params("tz=Pacific/Kiritimati&range=today"), options);
    expect(scope).toMatchObject({ tz: "Pacific/Kiritimati", from: "2026-03-16", to: "2026-03-16" });
    expect(scopeFromParams(params("tz=Nowhere/Land"), options).tz).toBe("UTC");
  });

  it("takes an advertiser only from platform staff", () => {
    expect(scopeFromParams(params("advertiser_id=adv_1"), options).advertiserId).toBe("adv_1");
    expect(scopeFromParams(params("advertiser_id=adv_1"), { ...options, staff: false }).advertiserId).toBeUndefined();
  });
});

describe("the report builder's URL", () => {
  it("has the day grouping, the server's order and the first page of 50 by default", () => {
    const state = reportFromParams(params(""), options);
    expect(state).toMatchObject({ groupBy: "day", offset: 0, limit: 50, filters: {} });
    expect(state.sort).toBeUndefined();
    expect(state.desc).toBeUndefined();
  });

  it("round-trips into the API's query", () => {
    const url =
      "range=custom&from=2026-02-01&to=2026-02-28&tz=Europe/Moscow&advertiser_id=adv_1&country=RU&sub3=push&group_by=offer&sort=payout&desc=1&offset=50&limit=25";
    expect(reportQuery(reportFromParams(params(url), options))).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
      tz: "Europe/Moscow",
      advertiser_id: "adv_1",
      country: "RU",
      sub3: "push",
      group_by: "offer",
      sort: "payout",
      desc: "true",
      offset: 50,
      limit: 25,
    });
  });

  it("drops a grouping, order or page the API does not know", () => {
    const state = reportFromParams(params("group_by=week&sort=magic&desc=yes&offset=-5&limit=5000"), options);
    expect(state).toMatchObject({ groupBy: "day", offset: 0, limit: 50 });
    expect(state.sort).toBeUndefined();
    expect(state.desc).toBeUndefined();
  });

  it("sends ascending order explicitly", () => {
    expect(reportQuery(reportFromParams(params("sort=key&desc=0"), options))).toMatchObject({ sort: "key", desc: "false" });
  });
});

describe("reportOrder", () => {
  it("is the server's default when the URL names none", () => {
    expect(reportOrder({ groupBy: "day" })).toEqual({ sort: "key", desc: false });
    expect(reportOrder({ groupBy: "hour" })).toEqual({ sort: "key", desc: false });
    expect(reportOrder({ groupBy: "country" })).toEqual({ sort: "clicks", desc: true });
  });

  it("is the URL's, a metric largest first unless told otherwise", () => {
    expect(reportOrder({ groupBy: "day", sort: "payout" })).toEqual({ sort: "payout", desc: true });
    expect(reportOrder({ groupBy: "offer", sort: "payout", desc: false })).toEqual({ sort: "payout", desc: false });
  });
});

describe("nextSort", () => {
  it("turns the same column around", () => {
    expect(nextSort({ sort: "clicks", desc: true }, "clicks")).toEqual({ sort: "clicks", desc: false });
    expect(nextSort({ sort: "key", desc: false }, "key")).toEqual({ sort: "key", desc: true });
  });

  it("starts a metric from its largest and the key from its first", () => {
    expect(nextSort({ sort: "key", desc: false }, "payout")).toEqual({ sort: "payout", desc: true });
    expect(nextSort({ sort: "clicks", desc: true }, "key")).toEqual({ sort: "key", desc: false });
  });
});

describe("withParams", () => {
  it("sets and removes parameters, keeping the others", () => {
    expect(withParams(params("country=DE&group_by=offer"), { country: undefined, device: "mobile" }).toString()).toBe("group_by=offer&device=mobile");
  });

  it("starts again from the first page when anything but the page changes", () => {
    expect(withParams(params("offset=100&after=a&after=b&group_by=day"), { group_by: "offer" }).toString()).toBe("group_by=offer");
  });

  it("keeps the other parameters when only the page changes", () => {
    expect(withParams(params("country=DE&offset=50"), { offset: "100" }).toString()).toBe("country=DE&offset=100");
  });

  it("does not change the params it was given", () => {
    const given = params("country=DE");
    withParams(given, { country: "FR" });
    expect(given.toString()).toBe("country=DE");
  });
});

describe("the logs' URL", () => {
  it("shows the click log's first page by default", () => {
    expect(logFromParams(params(""), options)).toMatchObject({ log: "clicks", cursors: [], filters: {} });
  });

  it("filters the conversion log by status, never the click log", () => {
    expect(logFromParams(params("log=conversions&status=hold"), options).status).toBe("hold");
    expect(logFromParams(params("log=clicks&status=hold"), options).status).toBeUndefined();
    expect(logFromParams(params("log=conversions&status=paid"), options).status).toBeUndefined();
  });

  it("pages forward and back through a stack of cursors", () => {
    const first = params("log=clicks&country=DE");
    const second = withNextPage(first, "c1");
    const third = withNextPage(second, "c2");
    expect(logFromParams(third, options).cursors).toEqual(["c1", "c2"]);
    expect(logQuery(logFromParams(third, options), 50)).toMatchObject({ cursor: "c2", country: "DE", limit: 50 });
    expect(withPreviousPage(third).toString()).toBe(second.toString());
    expect(withPreviousPage(second).toString()).toBe(first.toString());
  });

  it("asks for the first page without a cursor", () => {
    const query = logQuery(logFromParams(params("log=conversions&status=approved"), options), 50);
    expect(query).toEqual({ from: "2026-03-09", to: "2026-03-15", tz: "UTC", status: "approved", limit: 50 });
  });
});

describe("exportRequest", () => {
  it("exports what the page shows", () => {
    const scope = scopeFromParams(params("range=yesterday&advertiser_id=adv_9&tz=Asia/Dubai"), options);
    expect(exportRequest("report", scope, { country: "AE" }, { group_by: "offer", sort: "clicks", desc: true })).toEqual({
      kind: "report",
      from: "2026-03-14",
      to: "2026-03-14",
      tz: "Asia/Dubai",
      advertiser_id: "adv_9",
      country: "AE",
      group_by: "offer",
      sort: "clicks",
      desc: true,
    });
  });
});

describe("activeFilters", () => {
  it("lists the set filters in the panel's order", () => {
    expect(activeFilters({ sub2: "b", country: "DE", offer_id: "o1" })).toEqual([
      ["offer_id", "o1"],
      ["country", "DE"],
      ["sub2", "b"],
    ]);
  });
});
