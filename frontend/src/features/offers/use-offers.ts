import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { OfferStatus } from "@/api/types";

export const offerKeys = {
  all: ["offers"] as const,
  list: (status: OfferStatus | undefined) => ["offers", "list", { status }] as const,
  detail: (offerId: string) => ["offers", "detail", offerId] as const,
  access: (offerId: string) => ["offers", "access", offerId] as const,
};

export function useOffers(status: OfferStatus | undefined) {
  return useQuery({
    queryKey: offerKeys.list(status),
    queryFn: () => unwrap(api.GET("/api/offers", { params: { query: status ? { status } : {} } })),
  });
}

export function useOffer(offerId: string) {
  return useQuery({
    queryKey: offerKeys.detail(offerId),
    queryFn: () => unwrap(api.GET("/api/offers/{offer_id}", { params: { path: { offer_id: offerId } } })),
  });
}

export function useOfferAccess(offerId: string) {
  return useQuery({
    queryKey: offerKeys.access(offerId),
    queryFn: () => unwrap(api.GET("/api/offers/{offer_id}/access", { params: { path: { offer_id: offerId } } })),
  });
}
