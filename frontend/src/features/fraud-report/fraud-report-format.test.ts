import i18next, { type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { FraudRow } from "@/api/types";
import {
  countWithShare,
  fraudGroupsFor,
  fraudQuery,
  fraudReportFromParams,
  refusalBreakdown,
  seriesValue,
  TREND_SERIES,
} from "@/features/fraud-report/fraud-report-format";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

const ROW: FraudRow = {
  key: "aff-1",
  label: "Traffic Pro",
  requests: 40,
  clicks: 36,
  flagged: { bots: 2, datacenter: 1, flood: 0, duplicate: 9 },
  flagged_shares: { bots: 5.5556, datacenter: 2.7778, flood: 0, duplicate: 25 },
  refused: 4,
  refused_by_reason: { geo_blocked: 1, blocked_by_rule: 3 },
  refused_share: 10,
  refused_shares: { geo_blocked: 2.5, blocked_by_rule: 7.5 },
  held_by_rule: 2,
  rejected_by_rule: 1,
  arrived_conversions: 6,
};

let t: TFunction;
let tRu: TFunction;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: "en", resources: { en: { translation: en }, ru: { translation: ru } }, interpolation: INTERPOLATION });
  t = i18n.getFixedT("en");
  tRu = i18n.getFixedT("ru");
});

describe("a count with its share", () => {
  it("joins the count and the percentage in the language's way", () => {
    expect(countWithShare(2, 5.5556, "en")).toBe("2 · 5.56%");
    expect(countWithShare(1200, 12.5, "ru")).toBe("1\u00a0200 · 12,5\u00a0%");
  });

  it("shows a zero, or a count without a share, alone", () => {
    expect(countWithShare(0, 0, "en")).toBe("0");
    expect(countWithShare(3, null, "en")).toBe("3");
  });
});

describe("refusalBreakdown", () => {
  it("lists each reason, most refusals first, with its share of every click", () => {
    expect(refusalBreakdown(t, ROW, "en")).toEqual(["block list 3 · 7.5%", "country not allowed 1 · 2.5%"]);
    expect(refusalBreakdown(tRu, ROW, "ru")).toEqual(["блок-лист 3 · 7,5\u00a0%", "страна не разрешена 1 · 2,5\u00a0%"]);
  });

  it("names the reasons issue 20 added and shows an unknown one as sent", () => {
    const row = { refused_by_reason: { affiliate_suspended: 2, advertiser_suspended: 1, new_reason: 1 }, refused_shares: {} };
    expect(refusalBreakdown(t, row, "en")).toEqual(["affiliate suspended 2", "advertiser suspended 1", "new_reason 1"]);
  });
});

describe("the page's state in its URL", () => {
  const options = { staff: false, affiliate: false, defaultTz: "UTC", now: new Date("2026-11-27T12:00:00Z") };

  it("groups by affiliate first, and an affiliate by offer since its own traffic is one affiliate", () => {
    expect(fraudReportFromParams(new URLSearchParams(), options).groupBy).toBe("affiliate");
    expect(fraudReportFromParams(new URLSearchParams(), { ...options, affiliate: true }).groupBy).toBe("offer");
    expect(fraudReportFromParams(new URLSearchParams("group_by=affiliate"), { ...options, affiliate: true }).groupBy).toBe("offer");
    expect(fraudGroupsFor(true)).not.toContain("affiliate");
  });

  it("reads a sub-id grouping, the trend's series, the page and the filters, and asks the API for them", () => {
    const state = fraudReportFromParams(
      new URLSearchParams("group_by=sub3&series=flood&offset=50&country=de&from=2026-11-01&to=2026-11-07&range=custom"),
      options,
    );
    expect((({ groupBy, series, offset }) => ({ groupBy, series, offset }))(state)).toEqual({ groupBy: "sub3", series: "flood", offset: 50 });
    expect(fraudQuery(state)).toEqual({ from: "2026-11-01", to: "2026-11-07", tz: "UTC", country: "DE", group_by: "sub3", offset: 50, limit: 50 });
  });

  it("falls back from values it does not know", () => {
    const state = fraudReportFromParams(new URLSearchParams("group_by=country&series=revenue&offset=-5"), options);
    expect([state.groupBy, state.series, state.offset]).toEqual(["affiliate", "requests", 0]);
  });
});

describe("seriesValue", () => {
  it("reads every series the trend can draw", () => {
    expect(TREND_SERIES.map((series) => seriesValue(ROW, series))).toEqual([40, 4, 2, 1, 0, 9, 2, 1]);
  });
});
