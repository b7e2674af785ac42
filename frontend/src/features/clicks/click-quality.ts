import type { TFunction } from "i18next";
import type { ClickDetail } from "@/api/types";

/** Why a click looks suspect or repeated, with what explains it as far as the orchestrator kept it. */
export type QualitySignal =
  | { key: "repeat"; firstClickId: string | null }
  | { key: "flood"; clicks: number | null; limit: number }
  | { key: "bot" }
  | { key: "datacenter"; network: string; asn: number | null };

/** The reasons a click looks suspect or repeated, in the order the page lists them. */
export function qualitySignals(quality: ClickDetail["quality"]): QualitySignal[] {
  const signals: QualitySignal[] = [];
  if (quality.unique === false) signals.push({ key: "repeat", firstClickId: quality.first_click_id });
  if (quality.flood) signals.push({ key: "flood", clicks: quality.address_clicks, limit: quality.flood_threshold });
  if (quality.bot) signals.push({ key: "bot" });
  if (quality.datacenter) signals.push({ key: "datacenter", network: quality.datacenter, asn: quality.asn });
  return signals;
}

/** A signal's title: the datacenter's network with its AS number when known (a network the list does not name is "AS…" already). */
export function signalTitle(t: TFunction, signal: QualitySignal): string {
  if (signal.key !== "datacenter") return t(`clicks.signals.${signal.key}.title`);
  const network =
    signal.asn !== null && signal.network !== `AS${signal.asn}` ? t("fraudReport.click.network", { network: signal.network, asn: signal.asn }) : signal.network;
  return t("clicks.signals.datacenter.title", { network });
}

/** What explains a signal beyond its general text: a flood's count against the limit. */
export function signalDetail(t: TFunction, signal: QualitySignal): string | null {
  if (signal.key !== "flood") return null;
  return signal.clicks !== null
    ? t("fraudReport.click.floodCount", { count: signal.clicks, limit: signal.limit })
    : t("fraudReport.click.floodLimit", { limit: signal.limit });
}

/** Why the click path refused a click, in words (a reason added later than this dashboard shows as sent). */
export function refusalLabel(t: TFunction, reason: string): string {
  return t(`clicks.reasons.${reason}`, { defaultValue: reason });
}
