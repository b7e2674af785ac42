import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { myOffersKey } from "@/features/affiliate-offers/use-my-offers";
import { useAdvertisers } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import type { FilterName } from "@/features/stats/stats-params";
import { useStatsViewer } from "@/features/stats/use-stats";

export type Choice = { id: string; name: string };

/**
 * The offers and affiliates the viewer may filter statistics by, and the advertisers' names: an
 * advertiser's own; the picked advertiser's for platform staff (none until one is picked); an
 * affiliate's offers of its current advertiser (its own traffic only, so no affiliates).
 * `undefined` where the viewer cannot list them.
 */
export function useFilterChoices(advertiserId: string | undefined) {
  const { context } = useRequiredSession();
  const can = useCan();
  const viewer = useStatsViewer();
  // The offers and affiliates of one advertiser: its own, or the one platform staff picked.
  const listsTenant = can("workspace:read:own") || (viewer.staff && advertiserId !== undefined);
  const tenant = viewer.staff ? advertiserId : undefined;

  const offers = useQuery({
    queryKey: ["offers", "list", { advertiser_id: tenant }],
    queryFn: () => unwrap(api.GET("/api/offers", { params: { query: tenant ? { advertiser_id: tenant } : {} } })),
    enabled: listsTenant,
  });
  const myOffers = useQuery({
    queryKey: myOffersKey(context.advertiser_id),
    queryFn: () => unwrap(api.GET("/api/my/offers")),
    enabled: viewer.affiliate && !!context.advertiser_id,
  });
  const memberships = useQuery({
    queryKey: ["memberships", { advertiser_id: tenant }],
    queryFn: () => unwrap(api.GET("/api/memberships", { params: { query: tenant ? { advertiser_id: tenant } : {} } })),
    enabled: listsTenant,
  });
  const advertisers = useAdvertisers(viewer.staff);

  const offerChoices: Choice[] | undefined = viewer.affiliate
    ? myOffers.data?.items.map((offer) => ({ id: offer.id, name: offer.name }))
    : listsTenant
      ? offers.data?.items.map((offer) => ({ id: offer.id, name: offer.name }))
      : undefined;
  const affiliateChoices: Choice[] | undefined = listsTenant
    ? memberships.data?.items.map((membership) => ({ id: membership.affiliate_id, name: membership.affiliate_name }))
    : undefined;
  const advertiserChoices: Choice[] | undefined = viewer.staff
    ? advertisers.data?.items.map((advertiser) => ({ id: advertiser.id, name: advertiser.name }))
    : undefined;

  return {
    offers: offerChoices,
    affiliates: affiliateChoices,
    advertisers: advertiserChoices,
    /** Whether the panel offers these selects at all for this viewer. */
    canPickOffer: viewer.affiliate || listsTenant,
    canPickAffiliate: listsTenant,
  };
}
export type FilterChoices = ReturnType<typeof useFilterChoices>;

/** The name of an id among choices, or the id itself. */
export function nameOf(choices: Choice[] | undefined, id: string): string {
  return choices?.find((choice) => choice.id === id)?.name ?? id;
}

/** Names for the filters that hold ids (offers, affiliates), from the choices; other values are shown as they are. */
export function filterNames(choices: Pick<FilterChoices, "offers" | "affiliates">): (name: FilterName, id: string) => string {
  return (name, id) => nameOf(name === "offer_id" ? choices.offers : name === "affiliate_id" ? choices.affiliates : undefined, id);
}
