import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "@/lib/format";

describe("formatBytes", () => {
  it("picks the unit that keeps the number small", () => {
    expect(formatBytes(451, "en")).toBe("0.4 kB");
    expect(formatBytes(2048, "en")).toBe("2 kB");
    expect(formatBytes(1_572_864, "en")).toBe("1.5 MB");
  });

  it("writes the language's units", () => {
    expect(formatBytes(1_572_864, "ru")).toBe("1,5 МБ");
  });
});

describe("formatDuration", () => {
  it("counts whole seconds, and minutes from the first minute on", () => {
    expect(formatDuration(8_400, "en")).toBe("8s");
    expect(formatDuration(59_999, "en")).toBe("59s");
    expect(formatDuration(134_000, "en")).toBe("2m 14s");
  });

  it("writes the language's units", () => {
    expect(formatDuration(134_000, "ru")).toBe("2 мин 14 с");
  });
});
