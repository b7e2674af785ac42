import i18next from "i18next";
import { describe, expect, it } from "vitest";
import openapi from "@/api/openapi.json";
import type { Domain, DomainStatus } from "@/api/types";
import { DOMAIN_STATUSES, domainsRefetchInterval, domainStatusLabel, domainStatusVariant, PENDING_REFETCH_MS } from "@/features/domains/domain-status";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

async function translator(language: "en" | "ru") {
  const instance = i18next.createInstance();
  await instance.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: language, interpolation: INTERPOLATION });
  return instance.t;
}

const domain = (status: DomainStatus): Domain => ({
  id: `dom_${status}`,
  name: "partners.acme.example",
  display_name: "partners.acme.example",
  kind: "portal",
  status,
  status_reason: null,
  dns_records: [],
  created_at: "2026-12-01T00:00:00.000Z",
  checked_at: null,
  active_since: null,
});

describe("a domain's status", () => {
  it("knows every status the API can answer", () => {
    const declared = openapi.components.schemas.DomainOut.properties.status.enum;
    expect([...DOMAIN_STATUSES].sort()).toEqual([...declared].sort());
  });

  it.each(["en", "ru"] as const)("has a label of its own for every status in %s", async (language) => {
    const t = await translator(language);
    const labels = DOMAIN_STATUSES.map((status) => domainStatusLabel(t, status));
    for (const [index, label] of labels.entries()) expect(label, DOMAIN_STATUSES[index]).not.toMatch(/^domains\.|_/);
    expect(new Set(labels).size).toBe(DOMAIN_STATUSES.length);
  });

  it("shows working domains as success and the ones that need the advertiser as errors", () => {
    expect(domainStatusVariant("active")).toBe("success");
    expect(domainStatusVariant("broken")).toBe("destructive");
    expect(domainStatusVariant("failed")).toBe("destructive");
    expect(domainStatusVariant("pending_dns")).toBe("warning");
  });
});

describe("the domains list", () => {
  it("asks again every 30 seconds while any domain is pending", () => {
    for (const status of ["pending_dns", "verifying", "issuing_certificate", "removing"] as const) {
      expect(domainsRefetchInterval([domain("active"), domain(status)])).toBe(PENDING_REFETCH_MS);
    }
    expect(PENDING_REFETCH_MS).toBe(30_000);
  });

  it("stops asking once every domain is settled, or there is none", () => {
    expect(domainsRefetchInterval([domain("active"), domain("broken"), domain("failed")])).toBe(false);
    expect(domainsRefetchInterval([])).toBe(false);
    expect(domainsRefetchInterval(undefined)).toBe(false);
  });
});
