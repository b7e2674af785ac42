import i18next from "i18next";
import { describe, expect, it } from "vitest";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

async function translator(language: "en" | "ru") {
  const instance = i18next.createInstance();
  await instance.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: language, interpolation: INTERPOLATION });
  return instance.t;
}

describe("interpolated names", () => {
  it("show a bidi override instead of obeying it, in both languages", async () => {
    const name = "Shop\u202Emoc.rekcah";
    expect((await translator("en"))("context.switched", { advertiser: name })).toBe("Now working in Shop[U+202E]moc.rekcah");
    expect((await translator("ru"))("context.switched", { advertiser: name })).not.toMatch(/\u202E/);
  });

  it("leave every other character of a value alone (React escapes markup)", async () => {
    expect((await translator("en"))("context.switched", { advertiser: `<b>O'Neil & "Sons"</b> Кроссовки` })).toBe(
      `Now working in <b>O'Neil & "Sons"</b> Кроссовки`,
    );
  });
});
