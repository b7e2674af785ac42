import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { ASSET_KINDS } from "@/features/branding/brand-assets";
import { COLOR_PAIRS } from "@/features/branding/brand-form";
import { DOMAIN_KINDS } from "@/features/domains/domain-kinds";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

async function translator(language: "en" | "ru") {
  const instance = i18next.createInstance();
  await instance.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: language, interpolation: INTERPOLATION });
  return instance.t;
}

/** Texts that name the portal a person is on: each takes the page's brand. */
const NAMING_THE_PORTAL = [
  "auth.signIn.description",
  "auth.signIn.noAccount",
  "auth.signIn.portalNoAccount",
  "auth.signUp.portalText",
  "auth.portalPanel.title",
  "apiKeys.description",
];

describe("the brand in translated texts", () => {
  it.each(["en", "ru"] as const)("names the page's brand wherever a text names the portal (%s)", async (language) => {
    const t = await translator(language);
    for (const key of NAMING_THE_PORTAL) {
      const text = t(key, { brand: "Acme Partners" });
      expect(text, key).toContain("Acme Partners");
      expect(text, key).not.toContain("{{");
    }
  });

  it("titles a page with the page's name and the brand's, in both languages", async () => {
    expect((await translator("en"))("brand.documentTitle", { page: "Offers", brand: "Acme Partners" })).toBe("Offers · Acme Partners");
    expect((await translator("ru"))("brand.documentTitle", { page: "Офферы", brand: "Acme Partners" })).toBe("Офферы · Acme Partners");
  });

  it("shows a bidi control in a brand's name instead of obeying it", async () => {
    const text = (await translator("en"))("auth.signIn.description", { brand: "Acme\u202Emoc.rekcah" });
    expect(text).toBe("Sign in to your Acme[U+202E]moc.rekcah account");
  });
});

function lookup(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

// The brand and domains screens build these keys from the API's values, so the keys test cannot see them.
const families: [string, readonly string[]][] = [
  ["brand.images.kinds", ASSET_KINDS],
  ["brand.colors", COLOR_PAIRS.flatMap((pair) => [pair.color, pair.text])],
  ["brand.colors.hints", COLOR_PAIRS.map((pair) => pair.color)],
  ["domains.kinds", DOMAIN_KINDS],
  ["domains.kindHints", DOMAIN_KINDS],
];

describe("brand and domains texts", () => {
  it.each([
    ["en", en],
    ["ru", ru],
  ] as const)("name every value the screens show in %s", (_language, tree) => {
    const missing = families.flatMap(([prefix, values]) =>
      values.filter((value) => typeof lookup(tree, `${prefix}.${value}`) !== "string").map((value) => `${prefix}.${value}`),
    );
    expect(missing).toEqual([]);
  });
});
