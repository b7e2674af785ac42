import i18next from "i18next";
import { describe, expect, it } from "vitest";
import type { Conversion } from "@/api/types";
import { draftOf, formatDuration, rulesProblems, screeningText, toRulesInput, type RulesDraft } from "@/features/fraud/fraud-rules";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

async function translator(language: "en" | "ru") {
  const instance = i18next.createInstance();
  await instance.init({ lng: language, resources: { en: { translation: en }, ru: { translation: ru } }, interpolation: INTERPOLATION });
  return instance.t;
}

function conversion(changes: Partial<Conversion>): Conversion {
  return { screening: null, screening_flag: null, screening_note: null, screening_detail: {}, flags: [], ...changes } as Conversion;
}

function draft(changes: Partial<RulesDraft>): RulesDraft {
  return { ...draftOf({}, "accepted"), ...changes };
}

describe("the rules form", () => {
  it("reads stored rules back, the time limits in the form's units", () => {
    const rows = draftOf({ too_slow: { action: "held", reason: null, seconds: 7200 }, bot: { action: "rejected", reason: "test", seconds: null } }, "");
    expect(rows.too_slow).toEqual({ action: "held", reason: "fraud", limit: "2" });
    expect(rows.bot).toEqual({ action: "rejected", reason: "test", limit: "" });
    expect(rows.datacenter.action).toBe("");
  });

  it("sends a reason only with a rejection and a limit only with a time rule that acts", () => {
    const body = toRulesInput(
      draft({
        datacenter: { action: "rejected", reason: "invalid_data", limit: "" },
        too_fast: { action: "held", reason: "other", limit: "30" },
        too_slow: { action: "accepted", reason: "fraud", limit: "5" },
      }),
    );
    expect(body.rules?.datacenter).toEqual({ action: "rejected", reason: "invalid_data" });
    expect(body.rules?.too_fast).toEqual({ action: "held", seconds: 30 });
    expect(body.rules?.too_slow).toEqual({ action: "accepted" });
  });

  it("leaves out the flags an offer does not override", () => {
    const rows = draftOf({}, "");
    rows.bot = { action: "accepted", reason: "fraud", limit: "" };
    expect(toRulesInput(rows)).toEqual({ rules: { bot: { action: "accepted" } } });
  });

  it("asks for whole limits within bounds, and a maximum past the minimum", () => {
    expect(rulesProblems(draft({ too_fast: { action: "held", reason: "fraud", limit: "" } }))).toEqual({ too_fast: "fraud.validation.too_fast" });
    expect(rulesProblems(draft({ too_fast: { action: "held", reason: "fraud", limit: "1.5" } }))).toEqual({ too_fast: "fraud.validation.too_fast" });
    expect(rulesProblems(draft({ too_slow: { action: "rejected", reason: "fraud", limit: "9000" } }))).toEqual({ too_slow: "fraud.validation.too_slow" });
    const crossed = draft({
      too_fast: { action: "held", reason: "fraud", limit: "3600" },
      too_slow: { action: "held", reason: "fraud", limit: "1" },
    });
    expect(rulesProblems(crossed)).toEqual({ too_slow: "fraud.validation.window" });
    expect(rulesProblems(draft({ too_fast: { action: "accepted", reason: "fraud", limit: "" } }))).toEqual({});
  });
});

describe("a conversion's screening, explained", () => {
  it("names the datacenter network in English and in Russian", async () => {
    const held = conversion({ screening: "held", screening_flag: "datacenter", screening_detail: { asn: 16509, network: "Amazon AWS" } });
    expect(screeningText(await translator("en"), held, "en")).toBe("Held: click from a datacenter network, AS16509 (Amazon AWS)");
    expect(screeningText(await translator("ru"), held, "ru")).toBe("Отложена: клик из сети дата-центра, AS16509 (Amazon AWS)");
  });

  it("gives the time to convert and the limit in the reader's units", async () => {
    const fast = conversion({ screening: "rejected", screening_flag: "too_fast", screening_detail: { seconds: 5, minimum: 60 } });
    expect(screeningText(await translator("en"), fast, "en")).toBe("Rejected: converted 5 seconds after the click, sooner than the minimum of 1 minute");
  });

  it("says nothing of a conversion no rule acted on", async () => {
    expect(screeningText(await translator("en"), conversion({ flags: ["datacenter"] }), "en")).toBeNull();
  });

  it("formats durations in the largest whole unit", () => {
    expect(formatDuration(45, "en")).toBe("45 seconds");
    expect(formatDuration(7200, "en")).toBe("2 hours");
    expect(formatDuration(3601, "en")).toBe("3,601 seconds");
    expect(formatDuration(2 * 86_400, "ru")).toBe("2 дня");
  });
});
