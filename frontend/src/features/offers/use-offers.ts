import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { OfferStatus } from "@/api/types";

/** `advertiser_id`: the advertiser platform staff picked; absent for an advertiser's own offers. */
export type OfferScope = { advertiser_id?: string };

export const offerKeys = {
  all: ["offers"] as const,
  list: (status: OfferStatus | undefined, scope: OfferScope = {}) => ["offers", "list", { status, ...scope }] as const,
  detail: (offerId: string) => ["offers", "detail", offerId] as const,
  access: (offerId: string) => ["offers", "access", offerId] as const,
};

export function useOffers(status: OfferStatus | undefined, scope: OfferScope = {}, enabled = true) {
  return useQuery({
    queryKey: offerKeys.list(status, scope),
    queryFn: () => unwrap(api.GET("/api/offers", { params: { query: { ...(status ? { status } : {}), ...scope } } })),
    enabled,
  });
}

export function useOffer(offerId: string, scope: OfferScope = {}) {
  return useQuery({
    queryKey: offerKeys.detail(offerId),
    queryFn: () => unwrap(api.GET("/api/offers/{offer_id}", { params: { path: { offer_id: offerId }, query: scope } })),
  });
}

export function useOfferAccess(offerId: string, scope: OfferScope = {}) {
  return useQuery({
    queryKey: offerKeys.access(offerId),
    queryFn: () => unwrap(api.GET("/api/offers/{offer_id}/access", { params: { path: { offer_id: offerId }, query: scope } })),
  });
}
