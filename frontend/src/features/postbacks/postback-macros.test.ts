import { describe, expect, it } from "vitest";
import { insertMacro, unknownMacros } from "@/features/postbacks/postback-macros";

describe("insertMacro", () => {
  it("puts the macro at the cursor and moves the cursor after it", () => {
    // Given a URL with the cursor after "cid="
    const url = "https://t.example.com/pb?cid=&s=1";
    const at = url.indexOf("=") + 1;
    // When the click_id chip is pressed
    const result = insertMacro(url, "{click_id}", at, at);
    // Then the macro sits there and the cursor follows it
    expect(result).toEqual({ value: "https://t.example.com/pb?cid={click_id}&s=1", cursor: at + "{click_id}".length });
  });

  it("replaces the selected text", () => {
    expect(insertMacro("a=XXX&b", "{payout}", 2, 5)).toEqual({ value: "a={payout}&b", cursor: 10 });
  });

  it("accepts a selection made backwards", () => {
    expect(insertMacro("a=XXX&b", "{payout}", 5, 2).value).toBe("a={payout}&b");
  });

  it("appends to a field that never had focus", () => {
    expect(insertMacro("https://x.test/?s=", "{status}", null, null)).toEqual({ value: "https://x.test/?s={status}", cursor: 26 });
  });

  it("keeps positions beyond the text inside it", () => {
    expect(insertMacro("ab", "{sub1}", 10, 12)).toEqual({ value: "ab{sub1}", cursor: 8 });
    expect(insertMacro("ab", "{sub1}", -3, 0)).toEqual({ value: "{sub1}ab", cursor: 6 });
  });

  it("fills an empty URL", () => {
    expect(insertMacro("", "{click_id}", 0, 0)).toEqual({ value: "{click_id}", cursor: 10 });
  });
});

describe("unknownMacros", () => {
  const known = ["{click_id}", "{status}", "{payout}"];

  it("finds nothing wrong in a URL of known macros, whatever their case", () => {
    expect(unknownMacros("https://x.test/?c={click_id}&s={STATUS}&p={payout}", known)).toEqual([]);
  });

  it("names each unknown macro once, sorted", () => {
    expect(unknownMacros("https://x.test/?a={txn}&b={clickid}&c={txn}", known)).toEqual(["{clickid}", "{txn}"]);
  });

  it("ignores braces that are not macros", () => {
    expect(unknownMacros("https://x.test/?a={}&b={not a macro}", known)).toEqual([]);
  });
});
