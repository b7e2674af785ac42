import { describe, expect, it } from "vitest";
import { areaPath, fillSeries, labelStep, linePath, nearestIndex, niceAxis, plotPoints, plotY, seriesKeys } from "@/features/stats/chart-scale";

describe("niceAxis", () => {
  it("rounds the top up to a round step", () => {
    expect(niceAxis(87)).toEqual({ max: 100, ticks: [0, 25, 50, 75, 100] });
    expect(niceAxis(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceAxis(100)).toEqual({ max: 100, ticks: [0, 25, 50, 75, 100] });
  });

  it("never steps counts by less than one", () => {
    expect(niceAxis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceAxis(1)).toEqual({ max: 1, ticks: [0, 1] });
  });

  it("steps fractions when asked for", () => {
    expect(niceAxis(0.9, 4, false)).toEqual({ max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(niceAxis(0.3, 3, false).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("still draws an axis for an empty series", () => {
    expect(niceAxis(0)).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(niceAxis(Number.NaN, 4, false)).toEqual({ max: 1, ticks: [0, 1] });
  });
});

describe("seriesKeys", () => {
  it("lists each day of the range", () => {
    expect(seriesKeys("2026-02-27", "2026-03-02", "day")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("lists the 24 hours of a day", () => {
    const hours = seriesKeys("2026-03-15", "2026-03-15", "hour");
    expect(hours).toHaveLength(24);
    expect(hours[0]).toBe("2026-03-15T00");
    expect(hours.at(-1)).toBe("2026-03-15T23");
  });

  it("is empty for a range that ends before it starts", () => {
    expect(seriesKeys("2026-03-02", "2026-03-01", "day")).toEqual([]);
  });
});

describe("fillSeries", () => {
  it("puts zero where the report has no row", () => {
    const rows = [{ key: "2026-03-02", clicks: 7 }];
    expect(fillSeries(["2026-03-01", "2026-03-02", "2026-03-03"], rows, (row) => row.clicks)).toEqual([
      { key: "2026-03-01", value: 0 },
      { key: "2026-03-02", value: 7 },
      { key: "2026-03-03", value: 0 },
    ]);
  });

  it("keeps a row whose key the range does not list, in order", () => {
    const rows = [{ key: "2026-03-01T02b", clicks: 1 }];
    expect(fillSeries(["2026-03-01T02", "2026-03-01T03"], rows, (row) => row.clicks).map((point) => point.key)).toEqual([
      "2026-03-01T02",
      "2026-03-01T02b",
      "2026-03-01T03",
    ]);
  });
});

describe("plotting", () => {
  const plot = { width: 120, height: 60, top: 10, right: 10, bottom: 10, left: 10 };

  it("spreads points across the plot, zero at the bottom and the axis top at the top", () => {
    expect(plotPoints([0, 50, 100], 100, plot)).toEqual([
      { x: 10, y: 50 },
      { x: 60, y: 30 },
      { x: 110, y: 10 },
    ]);
    expect(plotY(25, 100, plot)).toBe(40);
  });

  it("centres a single point", () => {
    expect(plotPoints([5], 10, plot)).toEqual([{ x: 60, y: 30 }]);
  });

  it("draws the line and closes the area down to the baseline", () => {
    const points = [
      { x: 0, y: 5 },
      { x: 10, y: 2.345 },
    ];
    expect(linePath(points)).toBe("M0,5 L10,2.35");
    expect(areaPath(points, 20)).toBe("M0,5 L10,2.35 L10,20 L0,20 Z");
    expect(areaPath([], 20)).toBe("");
  });

  it("finds the point nearest to the pointer", () => {
    const points = plotPoints([1, 2, 3, 4], 4, plot);
    expect(nearestIndex(points, 0)).toBe(0);
    expect(nearestIndex(points, 50)).toBe(1);
    expect(nearestIndex(points, 200)).toBe(3);
  });

  it("labels every point while they fit, fewer when they do not", () => {
    expect(labelStep(7, 10)).toBe(1);
    expect(labelStep(30, 8)).toBe(4);
    expect(labelStep(24, 0)).toBe(24);
  });
});
