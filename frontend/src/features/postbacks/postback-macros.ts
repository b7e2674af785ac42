/** Macros in a postback URL: `{click_id}`, `{payout}`, … filled in when a postback is sent. */

const MACRO = /\{([A-Za-z0-9_]+)\}/g;

export type MacroInsertion = { value: string; cursor: number };

/**
 * The URL with `macro` typed over the selection `[start, end)`, and where the cursor goes next
 * (right after the macro). A field that never had focus reports no selection: the macro is appended.
 */
export function insertMacro(value: string, macro: string, start: number | null, end: number | null): MacroInsertion {
  const clamp = (position: number | null) => Math.min(Math.max(position ?? value.length, 0), value.length);
  const from = Math.min(clamp(start), clamp(end));
  const to = Math.max(clamp(start), clamp(end));
  return { value: value.slice(0, from) + macro + value.slice(to), cursor: from + macro.length };
}

/** The macros of `url` that the server does not know (it refuses to save them), as written in braces. */
export function unknownMacros(url: string, known: readonly string[]): string[] {
  const allowed = new Set(known.map((macro) => macro.toLowerCase()));
  const found = [...url.matchAll(MACRO)].map((match) => `{${(match[1] ?? "").toLowerCase()}}`);
  return [...new Set(found)].filter((macro) => !allowed.has(macro)).sort();
}
