import type { PlatformInvoice } from "@/api/types";

/** A period from its first day to its end as the language writes a range ("Dec 7, 2026 – Jan 7, 2027"); what is not a date as sent. */
export function formatPeriod(start: string, end: string, language: string): string {
  const from = new Date(start);
  const to = new Date(end);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return `${start} – ${end}`;
  const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
  return from <= to ? format.formatRange(from, to) : `${format.format(from)} – ${format.format(to)}`;
}

/** The open invoice to pay first (the one due soonest), or undefined when nothing is owed. */
export function invoiceToPay(invoices: readonly PlatformInvoice[] | undefined): PlatformInvoice | undefined {
  return [...(invoices ?? [])].filter((invoice) => invoice.status === "open").sort((a, b) => a.due_at.localeCompare(b.due_at))[0];
}
