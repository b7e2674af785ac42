import { describe, expect, it } from "vitest";
import { queueAge } from "@/features/monitor/queue-age";

describe("queueAge", () => {
  it("is unknown when no operation is open", () => {
    expect(queueAge(null)).toBeNull();
  });

  it.each([
    [0, { count: 0, unit: "s" }],
    [59, { count: 59, unit: "s" }],
    [60, { count: 1, unit: "min" }],
    [119, { count: 1, unit: "min" }],
    [180, { count: 3, unit: "min" }],
    [3_599, { count: 59, unit: "min" }],
    [7_200, { count: 2, unit: "h" }],
    [86_399, { count: 23, unit: "h" }],
    [3 * 86_400 + 5, { count: 3, unit: "d" }],
  ])("writes %i seconds in the largest whole unit", (seconds, age) => {
    expect(queueAge(seconds)).toEqual(age);
  });

  it("treats a clock skew into the future as no wait", () => {
    expect(queueAge(-4)).toEqual({ count: 0, unit: "s" });
  });
});
