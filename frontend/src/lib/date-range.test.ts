import { describe, expect, it } from "vitest";
import { addDays, chosenRange, daysInRange, isDay, isTimeZone, presetRange, rangeParams, todayIn } from "@/lib/date-range";

describe("presetRange", () => {
  const today = "2026-03-15";

  it("covers today and yesterday as single days", () => {
    expect(presetRange("today", today)).toEqual({ from: "2026-03-15", to: "2026-03-15" });
    expect(presetRange("yesterday", today)).toEqual({ from: "2026-03-14", to: "2026-03-14" });
  });

  it("counts today among the last 7 and 30 days", () => {
    expect(presetRange("last7", today)).toEqual({ from: "2026-03-09", to: "2026-03-15" });
    expect(daysInRange(presetRange("last7", today))).toBe(7);
    expect(presetRange("last30", today)).toEqual({ from: "2026-02-14", to: "2026-03-15" });
    expect(daysInRange(presetRange("last30", today))).toBe(30);
  });

  it("starts this month on its first day", () => {
    expect(presetRange("thisMonth", today)).toEqual({ from: "2026-03-01", to: "2026-03-15" });
    expect(presetRange("thisMonth", "2026-03-01")).toEqual({ from: "2026-03-01", to: "2026-03-01" });
  });

  it("crosses month and year ends", () => {
    expect(presetRange("yesterday", "2026-01-01")).toEqual({ from: "2025-12-31", to: "2025-12-31" });
    expect(presetRange("last7", "2024-03-02").from).toBe("2024-02-25");
  });
});

describe("todayIn", () => {
  const now = new Date("2026-03-15T22:30:00Z");

  it("is the day of the given zone, not of UTC", () => {
    expect(todayIn("UTC", now)).toBe("2026-03-15");
    expect(todayIn("Europe/Moscow", now)).toBe("2026-03-16");
    expect(todayIn("America/New_York", now)).toBe("2026-03-15");
  });

  it("falls back to the UTC day for a zone the runtime does not know", () => {
    expect(todayIn("Mars/Olympus", now)).toBe("2026-03-15");
  });
});

describe("chosenRange", () => {
  const now = new Date("2026-03-15T12:00:00Z");
  const params = (query: string) => new URLSearchParams(query);

  it("uses the fallback preset for a bare URL", () => {
    expect(chosenRange(params(""), "UTC", "last7", now)).toEqual({ choice: "last7", from: "2026-03-09", to: "2026-03-15" });
  });

  it("reads a preset by name, relative to today", () => {
    expect(chosenRange(params("range=yesterday"), "UTC", "last7", now)).toEqual({ choice: "yesterday", from: "2026-03-14", to: "2026-03-14" });
  });

  it("reads a custom range from its days", () => {
    expect(chosenRange(params("from=2026-01-01&to=2026-01-31"), "UTC", "last7", now)).toEqual({ choice: "custom", from: "2026-01-01", to: "2026-01-31" });
  });

  it("ignores days that are not days or end before they start", () => {
    expect(chosenRange(params("from=2026-02-30&to=2026-03-01"), "UTC", "last7", now).choice).toBe("last7");
    expect(chosenRange(params("from=2026-03-10&to=2026-03-01"), "UTC", "last7", now).choice).toBe("last7");
    expect(chosenRange(params("from=yesterday&to=today"), "UTC", "today", now).choice).toBe("today");
  });

  it("prefers a named preset over stray days", () => {
    expect(chosenRange(params("range=today&from=2026-01-01&to=2026-01-02"), "UTC", "last7", now).choice).toBe("today");
  });
});

describe("rangeParams", () => {
  it("names a preset and drops the days", () => {
    expect(rangeParams("last30", { from: "2026-01-01", to: "2026-01-30" })).toEqual({ range: "last30", from: undefined, to: undefined });
  });

  it("keeps the days of a custom range", () => {
    expect(rangeParams("custom", { from: "2026-01-01", to: "2026-01-30" })).toEqual({ range: undefined, from: "2026-01-01", to: "2026-01-30" });
  });
});

describe("day helpers", () => {
  it("tells real days from look-alikes", () => {
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2026-13-01")).toBe(false);
    expect(isDay("26-01-01")).toBe(false);
    expect(isDay(null)).toBe(false);
  });

  it("adds and subtracts days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("knows IANA zones", () => {
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("Nowhere/Special")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
