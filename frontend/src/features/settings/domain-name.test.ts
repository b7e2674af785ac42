import { describe, expect, it } from "vitest";
import { isDomainName, normalizeDomain } from "@/features/settings/domain-name";

describe("isDomainName", () => {
  it.each(["example.com", "tracker.partner-site.co.uk", "A.Example.COM", "example.com.", " xn--80ak6aa92e.com ", "1.example.io"])("accepts %s", (value) => {
    expect(isDomainName(value)).toBe(true);
  });

  it.each([
    "",
    "localhost",
    "https://example.com",
    "example.com/path",
    "-bad.com",
    "bad-.com",
    "exa mple.com",
    "203.0.113.7",
    "*.example.com",
    "example.c",
    `${"a".repeat(64)}.com`,
  ])("rejects %s", (value) => {
    expect(isDomainName(value)).toBe(false);
  });
});

describe("normalizeDomain", () => {
  it("trims, lowers and drops the trailing dot, as the server does", () => {
    expect(normalizeDomain("  Tracker.Example.COM. ")).toBe("tracker.example.com");
  });
});
