/** A whitelist as the settings page edits it: one entry per line, blank lines ignored. */
export function parseWhitelist(text: string, isValid: (entry: string) => boolean): { entries: string[]; invalid: string[] } {
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return { entries, invalid: entries.filter((entry) => !isValid(entry)) };
}
