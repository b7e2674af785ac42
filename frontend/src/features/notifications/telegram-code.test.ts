import { describe, expect, it } from "vitest";
import { countdown, isTelegramLink, secondsLeft } from "@/features/notifications/telegram-code";

describe("the Telegram code's countdown", () => {
  const now = new Date("2026-12-10T12:00:00Z");

  it("counts the seconds left, and stops at zero once the code expired", () => {
    expect(secondsLeft("2026-12-10T12:15:00Z", now)).toBe(900);
    expect(secondsLeft("2026-12-10T12:00:00.400Z", now)).toBe(1);
    expect(secondsLeft("2026-12-10T11:59:00Z", now)).toBe(0);
    expect(secondsLeft("not a date", now)).toBe(0);
  });

  it("reads as minutes and seconds", () => {
    expect(countdown(900)).toBe("15:00");
    expect(countdown(65)).toBe("1:05");
    expect(countdown(0)).toBe("0:00");
  });
});

describe("the deep link's button", () => {
  it("opens only t.me over https", () => {
    expect(isTelegramLink("https://t.me/acme_alerts_bot?start=AB12CD")).toBe(true);
    expect(isTelegramLink("http://t.me/acme_alerts_bot")).toBe(false);
    expect(isTelegramLink("https://t.me.evil.example/x")).toBe(false);
    expect(isTelegramLink("javascript:alert(1)")).toBe(false);
  });
});
