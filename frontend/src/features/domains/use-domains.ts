import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Domain, DomainKind, DomainList } from "@/api/types";
import { domainsRefetchInterval } from "@/features/domains/domain-status";

/** Whose domains: the signed-in advertiser's own (undefined), or the one platform staff picked. */
const domainsKey = (advertiserId: string | undefined) => ["domains", advertiserId ?? null] as const;
const scope = (advertiserId: string | undefined) => (advertiserId ? { advertiser_id: advertiserId } : {});

export function useDomains(advertiserId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: domainsKey(advertiserId),
    queryFn: () => unwrap(api.GET("/api/domains", { params: { query: scope(advertiserId) } })),
    refetchInterval: (query) => domainsRefetchInterval(query.state.data?.items),
    enabled,
  });
}

/** The list with one domain as the API just answered it. */
function replaced(list: DomainList | undefined, domain: Domain): DomainList | undefined {
  if (!list) return list;
  const known = list.items.some((item) => item.id === domain.id);
  return { ...list, items: known ? list.items.map((item) => (item.id === domain.id ? domain : item)) : [...list.items, domain] };
}

export function useAddDomain(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (body: { name: string; kind: DomainKind }) => unwrap(api.POST("/api/domains", { params: { query: scope(advertiserId) }, body })),
    onSuccess: (domain) => queryClient.setQueryData<DomainList>(domainsKey(advertiserId), (list) => replaced(list, domain)),
  });
}

export function useCheckDomain(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (domainId: string) =>
      unwrap(api.POST("/api/domains/{domain_id}/check", { params: { path: { domain_id: domainId }, query: scope(advertiserId) } })),
    onSuccess: (domain) => queryClient.setQueryData<DomainList>(domainsKey(advertiserId), (list) => replaced(list, domain)),
  });
}

export function useRemoveDomain(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (domainId: string) => unwrap(api.DELETE("/api/domains/{domain_id}", { params: { path: { domain_id: domainId }, query: scope(advertiserId) } })),
    // One the edge serves lingers as `removing` until its tenant is taken down: the list says so.
    onSettled: () => queryClient.invalidateQueries({ queryKey: domainsKey(advertiserId) }),
  });
}
