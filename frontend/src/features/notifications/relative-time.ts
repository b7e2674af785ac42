const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** How long ago `iso` was, as the language says it ("5 minutes ago", "вчера"); the date as given when it is not one. */
export function relativeTime(iso: string, now: Date, language: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  // A clock a little ahead of the server's must not say "in 3 seconds".
  let amount = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  for (const [unit, size] of STEPS) {
    if (amount < size) return format.format(-Math.floor(amount), unit);
    amount /= size;
  }
  return format.format(-Math.floor(amount), "year");
}
