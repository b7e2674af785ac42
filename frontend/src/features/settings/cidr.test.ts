import { describe, expect, it } from "vitest";
import { isCidr, parseCidrLines } from "@/features/settings/cidr";

describe("isCidr", () => {
  it.each(["203.0.113.0/24", "198.51.100.7/32", "0.0.0.0/0", "2001:db8::/32", "::1/128", "fe80::1:2:3:4/64", "::ffff:192.0.2.1/128"])("accepts %s", (value) => {
    expect(isCidr(value)).toBe(true);
  });

  it.each(["203.0.113.0", "256.1.1.1/24", "10.0.0.1/33", "01.2.3.4/8", "2001:db8:::/32", "2001:db8::/129", "example.com/24", "1.2.3.4/24/1", ""])(
    "rejects %s",
    (value) => {
      expect(isCidr(value)).toBe(false);
    },
  );
});

describe("parseCidrLines", () => {
  it("ignores blank lines and reports the invalid ones", () => {
    expect(parseCidrLines("10.0.0.0/8\n\n  bad  \n2001:db8::/32\n")).toEqual({ ips: ["10.0.0.0/8", "bad", "2001:db8::/32"], invalid: ["bad"] });
  });
});
