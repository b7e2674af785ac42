/*
 * The upload dialog sends the CSV's text to the API unchanged; the API reads the transaction ids.
 * This preview reads them the same way only to tell the user how many the file holds before it is
 * sent: the first column, or the column named txn_id when the first row names one (that row is then
 * a header, not an id).
 */

export type CsvPreview = {
  /** The non-empty transaction ids, in file order. */
  txnIds: string[];
  /** Whether the first row is a header naming the txn_id column. */
  header: boolean;
};

const TXN_ID_HEADER = "txn_id";

/** Splits CSV text into rows of fields: comma-separated, double-quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function previewCsv(text: string): CsvPreview {
  // Spreadsheet exports often start with a byte-order mark, which would hide a "txn_id" header.
  const rows = parseCsvRows(text.replace(/^\uFEFF/, "")).filter((row) => row.some((field) => field.trim() !== ""));
  const first = rows[0] ?? [];
  const named = first.findIndex((field) => field.trim().toLowerCase() === TXN_ID_HEADER);
  const header = named >= 0;
  const column = header ? named : 0;
  const txnIds = rows
    .slice(header ? 1 : 0)
    .map((row) => (row[column] ?? "").trim())
    .filter((id) => id !== "");
  return { txnIds, header };
}
