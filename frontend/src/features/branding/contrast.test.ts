import { describe, expect, it } from "vitest";
import { brandFormSchema, toBrandInput, type BrandFormValues } from "@/features/branding/brand-form";
import { contrastRatio, formatContrast, MIN_CONTRAST, pairContrast, parseColor } from "@/features/branding/contrast";

describe("contrast ratio, as the API computes it", () => {
  it("is 21 for black on white, whichever is the text", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 10);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 10);
  });

  it("is 1 for a colour on itself", () => {
    expect(contrastRatio("#4f46e5", "#4f46e5")).toBe(1);
  });

  it("puts #777777 on white just below AA and #767676 just above it", () => {
    const grey77 = contrastRatio("#777777", "#ffffff");
    const grey76 = contrastRatio("#767676", "#ffffff");
    expect(formatContrast(grey77, "en")).toBe("4.48");
    expect(formatContrast(grey76, "en")).toBe("4.54");
    expect(grey77).toBeLessThan(MIN_CONTRAST);
    expect(grey76).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it("writes the ratio as the reader's language writes decimals", () => {
    expect(formatContrast(contrastRatio("#767676", "#ffffff"), "ru")).toBe("4,54");
  });

  it("reads #rgb and any case as the API stores colours, and nothing else", () => {
    expect(parseColor(" #FfF ")).toBe("#ffffff");
    expect(parseColor("#4F46E5")).toBe("#4f46e5");
    for (const wrong of ["", "fff", "#ffff", "#gggggg", "red", "#1234567"]) expect(parseColor(wrong)).toBeUndefined();
    expect(pairContrast("#fff", "#000")).toBeCloseTo(21, 10);
    expect(pairContrast("#fff", "")).toBeUndefined();
  });
});

describe("brand form", () => {
  const valid = (): BrandFormValues => ({
    portal_name: "Acme Partners",
    primary_color: "#767676",
    primary_text_color: "#FFF",
    accent_color: "",
    accent_text_color: "",
    support_email: "",
    sender_name: "",
    terms_url: "https://acme.example/terms",
    privacy_url: "",
  });
  const issuesOf = (values: BrandFormValues) => {
    const result = brandFormSchema.safeParse(values);
    return result.success ? [] : result.error.issues.map((issue) => [issue.path.join("."), issue.message]);
  };

  it("accepts a pair at AA and sends it as the API stores it, with every empty field cleared", () => {
    expect(issuesOf(valid())).toEqual([]);
    expect(toBrandInput(valid())).toEqual({
      portal_name: "Acme Partners",
      primary_color: "#767676",
      primary_text_color: "#ffffff",
      accent_color: null,
      accent_text_color: null,
      support_email: null,
      sender_name: null,
      terms_url: "https://acme.example/terms",
      privacy_url: null,
    });
  });

  it("refuses to submit a pair below 4.5:1, on the text colour", () => {
    expect(issuesOf({ ...valid(), primary_color: "#777777" })).toEqual([["primary_text_color", "brand.validation.contrast"]]);
    expect(issuesOf({ ...valid(), accent_color: "#ffffff", accent_text_color: "#777777" })).toEqual([["accent_text_color", "brand.validation.contrast"]]);
  });

  it("refuses a colour without the colour of its text, and the other way round", () => {
    expect(issuesOf({ ...valid(), accent_color: "#000000" })).toEqual([["accent_text_color", "brand.validation.pairIncomplete"]]);
    expect(issuesOf({ ...valid(), primary_color: "" })).toEqual([["primary_color", "brand.validation.pairIncomplete"]]);
  });

  it("refuses what is not a colour, a link that is not https and a bad e-mail", () => {
    expect(issuesOf({ ...valid(), primary_color: "blue", terms_url: "http://acme.example/terms", support_email: "help@" })).toEqual([
      ["primary_color", "brand.validation.color"],
      ["support_email", "validation.email"],
      ["terms_url", "brand.validation.https"],
    ]);
  });
});
