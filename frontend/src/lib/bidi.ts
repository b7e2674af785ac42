/**
 * Bidirectional control characters in text that visitors and users wrote (sub-ids, click logs, file
 * names, offer and user names): shown, never obeyed. A right-to-left override in
 * "invoice\u202Efdp.exe" would otherwise put "invoiceexe.pdf" on the screen. Only what is shown
 * changes; the text itself (in forms, filters, the API) stays as it was stored.
 */

/** Embeddings and overrides (U+202A to U+202E), isolates (U+2066 to U+2069), and the marks U+200E, U+200F, U+061C. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** A run of text as it stands, or one control by its code point ("U+202E"). */
export type BidiPart = { text: string } | { control: string };

function codePoint(control: string): string {
  return `U+${(control.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The text cut around its bidi controls, in order; no control is left inside a text part. */
export function bidiParts(text: string): BidiPart[] {
  const parts: BidiPart[] = [];
  let start = 0;
  for (const found of text.matchAll(BIDI_CONTROLS)) {
    const at = found.index ?? 0;
    if (at > start) parts.push({ text: text.slice(start, at) });
    parts.push({ control: codePoint(found[0]) });
    start = at + found[0].length;
  }
  if (start < text.length) parts.push({ text: text.slice(start) });
  return parts;
}

/** The text with each bidi control written as `[U+202E]`: for plain-text places (titles, toasts, options). */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (control) => `[${codePoint(control)}]`);
}
