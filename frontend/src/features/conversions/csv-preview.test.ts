import { describe, expect, it } from "vitest";
import { parseCsvRows, previewCsv } from "@/features/conversions/csv-preview";
import { toDecisionBody } from "@/features/conversions/decision-schema";

describe("CSV preview", () => {
  it("counts the first column when there is no header", () => {
    expect(previewCsv("T-1,12.50\nT-2,7.00\nT-3\n")).toEqual({ txnIds: ["T-1", "T-2", "T-3"], header: false });
  });

  it("reads the column named txn_id and skips its header row", () => {
    const csv = "order,txn_id,amount\r\n1001,T-1,12.50\r\n1002,T-2,7.00\r\n";
    expect(previewCsv(csv)).toEqual({ txnIds: ["T-1", "T-2"], header: true });
  });

  it("knows the header through a byte-order mark, spaces and capitals", () => {
    expect(previewCsv("\uFEFF TXN_ID \nT-1\nT-2")).toEqual({ txnIds: ["T-1", "T-2"], header: true });
  });

  it("leaves out blank lines and empty ids", () => {
    expect(previewCsv("\nT-1\n\n ,12.00\n,\nT-2\n\n").txnIds).toEqual(["T-1", "T-2"]);
  });

  it("finds nothing in an empty file", () => {
    expect(previewCsv("")).toEqual({ txnIds: [], header: false });
    expect(previewCsv("txn_id\n")).toEqual({ txnIds: [], header: true });
  });

  it("keeps commas, quotes and line breaks inside quoted fields", () => {
    expect(parseCsvRows('"A,1","say ""hi""","two\nlines"\nB')).toEqual([["A,1", 'say "hi"', "two\nlines"], ["B"]]);
    expect(previewCsv('txn_id,note\n"T,1","a, b"\n').txnIds).toEqual(["T,1"]);
  });

  it("sends the file's text to the API unchanged, whatever the preview read", () => {
    const csv = '\uFEFFTxn_ID;x\r\n"T-1",  \r\n\r\nT-2';
    const body = toDecisionBody({ status: "rejected", reason: "duplicate" }, { csv });
    expect(body).toEqual({ status: "rejected", reason: "duplicate", csv });
    expect(body.csv).toBe(csv);
  });
});
