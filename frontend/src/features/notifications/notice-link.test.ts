import { describe, expect, it } from "vitest";
import { noticeHref } from "@/features/notifications/notice-link";

describe("where a notice leads", () => {
  it("follows the dashboard's own paths", () => {
    expect(noticeHref("/conversions")).toBe("/conversions");
    expect(noticeHref("/finance/invoices/2026-11?tab=items")).toBe("/finance/invoices/2026-11?tab=items");
  });

  it("never leaves the dashboard", () => {
    expect(noticeHref("//evil.example/phish")).toBeNull();
    expect(noticeHref("/\\evil.example")).toBeNull();
    expect(noticeHref("https://evil.example")).toBeNull();
    expect(noticeHref("javascript:alert(1)")).toBeNull();
    expect(noticeHref("")).toBeNull();
  });
});
