import i18next, { type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { ClickQuality } from "@/api/types";
import { qualitySignals, signalDetail, signalTitle } from "@/features/clicks/click-quality";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

const CLEAN: ClickQuality = {
  status: "clean",
  unique: true,
  flood: false,
  bot: false,
  datacenter: null,
  asn: null,
  address_clicks: null,
  flood_threshold: 30,
  first_click_id: null,
};

let t: TFunction;
let tRu: TFunction;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: "en", resources: { en: { translation: en }, ru: { translation: ru } }, interpolation: INTERPOLATION });
  t = i18n.getFixedT("en");
  tRu = i18n.getFixedT("ru");
});

describe("qualitySignals", () => {
  it("lists nothing for a clean unique click", () => {
    expect(qualitySignals(CLEAN)).toEqual([]);
  });

  it("does not call a click of unknown uniqueness a repeat", () => {
    expect(qualitySignals({ ...CLEAN, unique: null })).toEqual([]);
  });

  it("lists every signal with what explains it", () => {
    const flagged = {
      ...CLEAN,
      status: "flagged",
      unique: false,
      flood: true,
      bot: true,
      datacenter: "Amazon AWS",
      asn: 16509,
      address_clicks: 47,
      first_click_id: "c-1",
    } as const;
    expect(qualitySignals(flagged)).toEqual([
      { key: "repeat", firstClickId: "c-1" },
      { key: "flood", clicks: 47, limit: 30 },
      { key: "bot" },
      { key: "datacenter", network: "Amazon AWS", asn: 16509 },
    ]);
  });
});

describe("a signal in words", () => {
  it("names the datacenter's network and AS number, once when the network has no other name", () => {
    expect(signalTitle(t, { key: "datacenter", network: "Amazon AWS", asn: 16509 })).toBe("Datacenter address (Amazon AWS, AS16509)");
    expect(signalTitle(t, { key: "datacenter", network: "AS64500", asn: 64500 })).toBe("Datacenter address (AS64500)");
    expect(signalTitle(t, { key: "datacenter", network: "Hetzner", asn: null })).toBe("Datacenter address (Hetzner)");
  });

  it("gives a flood's count against the limit, or the limit alone", () => {
    expect(signalDetail(t, { key: "flood", clicks: 47, limit: 30 })).toBe(
      "47 clicks from this address to this advertiser in the hour; more than 30 is a flood.",
    );
    expect(signalDetail(tRu, { key: "flood", clicks: 31, limit: 30 })).toBe("31 клик с этого адреса к рекламодателю за час; больше 30 — это флуд.");
    expect(signalDetail(t, { key: "flood", clicks: null, limit: 30 })).toBe(
      "More than 30 clicks from one address to one advertiser within an hour is a flood.",
    );
    expect(signalDetail(t, { key: "bot" })).toBeNull();
  });
});
