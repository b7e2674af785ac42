import type { AffiliateBalance, MoneyRequest } from "@/api/types";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** An invoice's month ("2026-03") as a period: "March 2026", «Март 2026»; anything else as sent. */
export function formatInvoicePeriod(month: string, language: string): string {
  const match = MONTH.exec(month);
  if (!match) return month;
  const year = Number(match[1]);
  const date = new Date(Date.UTC(year, Number(match[2]) - 1, 1));
  // The month alone is in the nominative ("март", not "марта"); the year follows it, without "г.".
  const name = new Intl.DateTimeFormat(language, { month: "long", timeZone: "UTC" }).format(date);
  return `${name.charAt(0).toLocaleUpperCase(language)}${name.slice(1)} ${year}`;
}

/** An invoice's page; platform staff keep the advertiser they picked. */
export function invoicePath(month: string, advertiserId: string | undefined): string {
  const path = `/finance/invoices/${encodeURIComponent(month)}`;
  return advertiserId ? `${path}?advertiser_id=${encodeURIComponent(advertiserId)}` : path;
}

/** Payout requests split into those still waiting to be paid and those answered, each newest first as listed. */
export function splitRequests(requests: readonly MoneyRequest[]): { open: MoneyRequest[]; closed: MoneyRequest[] } {
  return { open: requests.filter((request) => request.status === "open"), closed: requests.filter((request) => request.status !== "open") };
}

/** The affiliate's balance a payout request is paid from: its affiliate and currency. */
export function balanceOfRequest(request: MoneyRequest, balances: readonly AffiliateBalance[]): AffiliateBalance | undefined {
  return balances.find((row) => row.affiliate_id === request.affiliate_id && row.currency === request.currency);
}
