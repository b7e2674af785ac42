import i18next, { type TFunction } from "i18next";
import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "@/api/api-error";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { errorText } from "@/lib/error-text";

async function translator(language: "en" | "ru"): Promise<TFunction> {
  const instance = i18next.createInstance();
  await instance.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: language });
  return instance.t;
}

describe("errorText", () => {
  it("shows the code's text in the reader's language, not the server's English words", async () => {
    const forbidden = toApiError(403, { error: { code: "forbidden", message: "you may not do this", detail: "you may not do this" } });
    expect(errorText(await translator("ru"), forbidden)).toBe(ru.errors.codes.forbidden);
    expect(errorText(await translator("en"), forbidden)).toBe(en.errors.codes.forbidden);
  });

  it("adds the server's detail where it tells what to fix", async () => {
    const invalid = toApiError(400, { error: { code: "validation_error", message: "Часть данных заполнена неверно.", detail: "unknown macros: {clickid}" } });
    expect(invalid.detail).toBe("unknown macros: {clickid}");
    expect(errorText(await translator("ru"), invalid)).toBe(`${ru.errors.codes.validation_error} unknown macros: {clickid}`);
    // an English answer's message is its detail
    const taken = toApiError(409, { error: { code: "conflict", message: "an account with this e-mail already exists" } });
    expect(errorText(await translator("en"), taken)).toBe(`${en.errors.codes.conflict} an account with this e-mail already exists`);
  });

  it("falls back to the generic text for what it cannot name", async () => {
    const t = await translator("ru");
    expect(errorText(t, toApiError(502, "<html>Bad gateway</html>"))).toBe(ru.errors.generic);
    expect(errorText(t, new Error("boom"))).toBe(ru.errors.generic);
    expect(errorText(t, new ApiError(0, "network_error", "Failed to fetch"))).toBe(ru.errors.codes.network_error);
  });
});

describe("errorText of a plan_limit refusal", () => {
  const refused = (error: Record<string, unknown>) => toApiError(403, { error: { code: "plan_limit", message: "plan limit reached", ...error } });

  it("says which limit is reached, how far, and which plan lifts it, in the reader's language", async () => {
    const error = refused({ limit: "approved_affiliates", usage: 5000, allowed: 5000, plan: "business", upgrade_to: "enterprise" });
    expect(errorText(await translator("en"), error)).toBe(
      "This goes over your plan's limits. Approved affiliates: 5,000 of 5,000. The Enterprise plan allows more: change your plan under Plan & billing.",
    );
    expect(errorText(await translator("ru"), error)).toBe(
      "Это превышает лимиты вашего тарифа. Одобренные партнёры: 5\u00a0000 из 5\u00a0000. На тарифе Enterprise можно больше — сменить тариф можно в разделе «Тариф и оплата».",
    );
  });

  it("names white-label as not in the plan, and says nothing of an upgrade it was not told of", async () => {
    expect(errorText(await translator("en"), refused({ limit: "white_label", usage: 1, allowed: 0 }))).toBe(
      "This goes over your plan's limits. White-label is not in your plan.",
    );
  });

  it("keeps every limit a refusal lists, and a limit the dashboard does not know by its name", async () => {
    const error = refused({ excess: [{ limit: "active_offers", usage: 12, allowed: 5 }, { limit: "api_calls", allowed: 100 }, { limit: "seats_x" }] });
    expect(errorText(await translator("en"), error)).toBe("This goes over your plan's limits. Active offers: 12 of 5. api_calls: at most 100. seats_x.");
  });
});
