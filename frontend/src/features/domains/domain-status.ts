import type { TFunction } from "i18next";
import type { Domain, DomainStatus } from "@/api/types";
import type { BadgeVariant } from "@/components/ui/badge";

/** Every status a custom domain goes through, in the order it does (the API's `DomainOut.status`). */
export const DOMAIN_STATUSES = [
  "pending_dns",
  "verifying",
  "issuing_certificate",
  "active",
  "broken",
  "failed",
  "removing",
] as const satisfies readonly DomainStatus[];

/** Where the platform moves a domain on by itself: while one is there, the list asks again. */
const PENDING: ReadonlySet<DomainStatus> = new Set<DomainStatus>(["pending_dns", "verifying", "issuing_certificate", "removing"]);

export const PENDING_REFETCH_MS = 30_000;

export function isPending(status: DomainStatus): boolean {
  return PENDING.has(status);
}

/** How often the domains list asks again: every 30 s while any domain is pending, else only when asked. */
export function domainsRefetchInterval(domains: readonly Domain[] | undefined): number | false {
  return domains?.some((domain) => isPending(domain.status)) ? PENDING_REFETCH_MS : false;
}

export function domainStatusLabel(t: TFunction, status: DomainStatus): string {
  return t(`domains.status.${status}`);
}

export function domainStatusVariant(status: DomainStatus): BadgeVariant {
  if (status === "active") return "success";
  if (status === "broken" || status === "failed") return "destructive";
  if (status === "removing") return "neutral";
  return "warning";
}
