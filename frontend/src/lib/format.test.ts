import { describe, expect, it } from "vitest";
import { formatBytes } from "@/lib/format";

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
