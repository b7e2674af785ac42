import type { ClickDetail } from "@/api/types";

export type QualitySignal = { key: "repeat" | "flood" | "bot" | "datacenter"; detail?: string };

/** The reasons a click looks suspect or repeated, in the order the page lists them. */
export function qualitySignals(quality: ClickDetail["quality"]): QualitySignal[] {
  const signals: QualitySignal[] = [];
  if (quality.unique === false) signals.push({ key: "repeat" });
  if (quality.flood) signals.push({ key: "flood" });
  if (quality.bot) signals.push({ key: "bot" });
  if (quality.datacenter) signals.push({ key: "datacenter", detail: quality.datacenter });
  return signals;
}
