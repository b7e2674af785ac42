import { describe, expect, it } from "vitest";
import { qualitySignals } from "@/features/clicks/click-quality";

describe("qualitySignals", () => {
  it("lists nothing for a clean unique click", () => {
    expect(qualitySignals({ status: "clean", unique: true, flood: false, bot: false, datacenter: null })).toEqual([]);
  });

  it("does not call a click of unknown uniqueness a repeat", () => {
    expect(qualitySignals({ status: "clean", unique: null, flood: false, bot: false, datacenter: null })).toEqual([]);
  });

  it("lists every signal with the hosting network named", () => {
    expect(qualitySignals({ status: "flagged", unique: false, flood: true, bot: true, datacenter: "Amazon AWS" })).toEqual([
      { key: "repeat" },
      { key: "flood" },
      { key: "bot" },
      { key: "datacenter", detail: "Amazon AWS" },
    ]);
  });
});
