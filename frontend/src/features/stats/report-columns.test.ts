import { describe, expect, it } from "vitest";
import { columnChoices, columnsParam, DEFAULT_COLUMNS, visibleColumns } from "@/features/stats/report-columns";

describe("report columns", () => {
  it("shows the default columns for a bare URL", () => {
    expect(visibleColumns(null, true)).toEqual(DEFAULT_COLUMNS);
  });

  it("never offers revenue, profit or ROI to an affiliate", () => {
    expect(visibleColumns(null, false)).not.toContain("revenue");
    expect(visibleColumns("clicks,revenue,roi", false)).toEqual(["clicks"]);
    expect(columnChoices(false)).not.toContain("profit");
  });

  it("reads a choice in the report's order and ignores unknown names", () => {
    expect(visibleColumns("payout,bots,clicks,magic", true)).toEqual(["clicks", "bots", "payout"]);
  });

  it("keeps the default out of the URL and an empty choice in it", () => {
    expect(columnsParam(DEFAULT_COLUMNS)).toBeUndefined();
    expect(columnsParam(["payout", "clicks"])).toBe("clicks,payout");
    expect(columnsParam([])).toBe("none");
    expect(visibleColumns("none", true)).toEqual([]);
  });
});
