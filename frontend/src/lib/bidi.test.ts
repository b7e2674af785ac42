import { describe, expect, it } from "vitest";
import { bidiParts, showBidiControls } from "@/lib/bidi";

const EVERY_CONTROL = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];

describe("showBidiControls", () => {
  it("writes every bidi control as its code point", () => {
    for (const control of EVERY_CONTROL) {
      const code = control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      expect(showBidiControls(`a${control}b`)).toBe(`a[U+${code}]b`);
    }
  });

  it("shows a spoofed file name as it is stored", () => {
    expect(showBidiControls("invoice\u202Efdp.exe")).toBe("invoice[U+202E]fdp.exe");
  });

  it("leaves right-to-left letters, other scripts and other invisible characters alone", () => {
    const text = "Кроссовки — שלום مرحبا 😀 \u00A0 \u200B";
    expect(showBidiControls(text)).toBe(text);
  });
});

describe("bidiParts", () => {
  it("cuts the text around each control, keeping everything else in order", () => {
    expect(bidiParts("\u2067ab\u2069\u202Ecd")).toEqual([{ control: "U+2067" }, { text: "ab" }, { control: "U+2069" }, { control: "U+202E" }, { text: "cd" }]);
    expect(bidiParts("plain")).toEqual([{ text: "plain" }]);
    expect(bidiParts("")).toEqual([]);
  });
});
