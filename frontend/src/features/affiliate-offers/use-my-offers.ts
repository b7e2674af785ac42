import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { AffiliateOffer } from "@/api/types";
import { useRequiredSession } from "@/features/auth/use-session";

export const myOffersKey = (advertiserId: string | null | undefined) => ["my-offers", advertiserId ?? null] as const;

/** The offers of the affiliate's current advertiser; idle while no advertiser is chosen. */
export function useMyOffers() {
  const { context } = useRequiredSession();
  const advertiserId = context.advertiser_id ?? null;
  return useQuery({
    queryKey: myOffersKey(advertiserId),
    queryFn: () => unwrap(api.GET("/api/my/offers")),
    enabled: advertiserId !== null,
  });
}

/** An offer the affiliate may send traffic to now: open to all, or approved for them. */
export function isRunnable(offer: AffiliateOffer): offer is AffiliateOffer & { tracking_link: string } {
  return (offer.access === "open" || offer.access === "approved") && !!offer.tracking_link;
}
