import { describe, expect, it } from "vitest";
import { isDomainName } from "@/features/settings/domain-name";
import { parseWhitelist } from "@/features/settings/whitelist-lines";

describe("parseWhitelist", () => {
  it("takes one trimmed entry per line, skips blank lines and reports the invalid ones", () => {
    expect(parseWhitelist("example.com\r\n\n  https://bad.test  \ntracker.example.org\n", isDomainName)).toEqual({
      entries: ["example.com", "https://bad.test", "tracker.example.org"],
      invalid: ["https://bad.test"],
    });
  });

  it("is empty for an empty editor: the whitelist is off", () => {
    expect(parseWhitelist(" \n ", isDomainName)).toEqual({ entries: [], invalid: [] });
  });
});
