import { describe, expect, it } from "vitest";
import { relativeTime } from "@/features/notifications/relative-time";

const now = new Date("2026-12-10T12:00:00Z");

describe("how long ago a notice came", () => {
  it("picks the largest whole unit", () => {
    expect(relativeTime("2026-12-10T11:59:30Z", now, "en")).toBe("30 seconds ago");
    expect(relativeTime("2026-12-10T11:55:00Z", now, "en")).toBe("5 minutes ago");
    expect(relativeTime("2026-12-10T09:00:00Z", now, "en")).toBe("3 hours ago");
    expect(relativeTime("2026-12-09T12:00:00Z", now, "en")).toBe("yesterday");
    expect(relativeTime("2026-10-01T12:00:00Z", now, "en")).toBe("2 months ago");
  });

  it("says it in Russian with Russian plurals", () => {
    expect(relativeTime("2026-12-10T11:55:00Z", now, "ru")).toBe("5 минут назад");
    expect(relativeTime("2026-12-10T10:00:00Z", now, "ru")).toBe("2 часа назад");
  });

  it("never says 'in a few seconds' when the browser's clock is behind the server's", () => {
    expect(relativeTime("2026-12-10T12:00:04Z", now, "en")).toBe("now");
  });

  it("shows a value that is not a date as it is", () => {
    expect(relativeTime("soon", now, "en")).toBe("soon");
  });
});
