export type AgeUnit = "s" | "min" | "h" | "d";
export type Age = { count: number; unit: AgeUnit };

/**
 * How long the oldest open operation of a queue has waited, in the largest whole unit ("3 min",
 * "2 h"); null when nothing is open. Whole units are rounded down: 119 s is still "1 min".
 */
export function queueAge(seconds: number | null): Age | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return { count: whole, unit: "s" };
  if (whole < 3_600) return { count: Math.floor(whole / 60), unit: "min" };
  if (whole < 86_400) return { count: Math.floor(whole / 3_600), unit: "h" };
  return { count: Math.floor(whole / 86_400), unit: "d" };
}
