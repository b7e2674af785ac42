import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/api-error";
import type { BlockList } from "@/api/types";
import { entriesText, linesOf, refusedEntries, withKindReplaced } from "@/features/block-lists/block-list-entries";

const LIST: BlockList = {
  offer_id: null,
  ips: ["203.0.113.0/24", "192.0.2.7"],
  asns: [16509],
  countries: ["CN"],
  subs: { sub1: ["spam"] },
  referrers: [],
  user_agents: [],
  counts: { ips: 2, asns: 1, countries: 1, subs: 1, referrers: 0, user_agents: 0 },
  limits: { ips: 10000, asns: 1000, countries: 250, subs: 1000, referrers: 2000, user_agents: 200 },
  updated_at: "2026-12-07T10:00:00.000Z",
};

describe("block list entries", () => {
  it("shows a kind's entries one a line, sub-ids by their key", () => {
    expect(entriesText(LIST, "ips", "sub1")).toBe("203.0.113.0/24\n192.0.2.7");
    expect(entriesText(LIST, "asns", "sub1")).toBe("16509");
    expect(entriesText(LIST, "subs", "sub1")).toBe("spam");
    expect(entriesText(LIST, "subs", "sub2")).toBe("");
  });

  it("reads pasted text one entry a line, without blank lines or spaces around", () => {
    expect(linesOf("  a \r\n\n b\n\n")).toEqual(["a", "b"]);
  });

  it("replaces one kind and keeps every other", () => {
    const body = withKindReplaced(LIST, "ips", "sub1", "10.0.0.0/8\n");
    expect(body.ips).toEqual(["10.0.0.0/8"]);
    expect(body.asns).toEqual([16509]);
    expect(body.subs).toEqual({ sub1: ["spam"] });
    expect(withKindReplaced(LIST, "subs", "sub3", "x\ny").subs).toEqual({ sub1: ["spam"], sub3: ["x", "y"] });
  });

  it("names the refused entries of a validation error, and none of other errors", () => {
    const refused = new ApiError(400, "validation_error", "m", "d", {
      entries: [{ kind: "ips", position: 4, entry: "nope", message: "is not an IP address or CIDR range" }, { junk: true }],
    });
    expect(refusedEntries(refused)).toEqual([{ position: 4, entry: "nope", message: "is not an IP address or CIDR range" }]);
    expect(refusedEntries(new ApiError(403, "forbidden", "m"))).toEqual([]);
    expect(refusedEntries(new Error("x"))).toEqual([]);
  });
});
