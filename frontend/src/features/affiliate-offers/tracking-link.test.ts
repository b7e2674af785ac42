import { describe, expect, it } from "vitest";
import { buildTrackingLink } from "@/features/affiliate-offers/tracking-link";

const BASE = "https://track.example.com/click?o=off_1&a=aff_9";

describe("buildTrackingLink", () => {
  it("is the offer's tracking link when no sub is filled", () => {
    expect(buildTrackingLink(BASE, {})).toBe(BASE);
    expect(buildTrackingLink(BASE, { sub1: "", sub2: "   " })).toBe(BASE);
  });

  it("appends the filled subs in sub order and leaves the empty ones out", () => {
    expect(buildTrackingLink(BASE, { sub3: "c", sub1: "a", sub2: "", sub10: "j" })).toBe(`${BASE}&sub1=a&sub3=c&sub10=j`);
  });

  it("URL-encodes the values", () => {
    expect(buildTrackingLink(BASE, { sub1: "fb ads/ru&kz", sub2: "тест=1?#" })).toBe(`${BASE}&sub1=fb%20ads%2Fru%26kz&sub2=%D1%82%D0%B5%D1%81%D1%82%3D1%3F%23`);
  });

  it("trims the values", () => {
    expect(buildTrackingLink(BASE, { sub1: "  campaign-7 " })).toBe(`${BASE}&sub1=campaign-7`);
  });

  it("starts the query when the link has none", () => {
    expect(buildTrackingLink("https://t.example.com/click", { sub1: "x" })).toBe("https://t.example.com/click?sub1=x");
  });
});
