import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { FraudFlag, FraudRulesInput } from "@/api/types";

/** `advertiserId`: the advertiser platform staff picked; undefined for the advertiser's own people. */
export const fraudKeys = {
  rules: (advertiserId: string | undefined) => ["fraud-rules", advertiserId ?? "own"] as const,
  offer: (offerId: string, advertiserId: string | undefined) => ["fraud-rules", advertiserId ?? "own", "offer", offerId] as const,
  queue: (query: ReviewQueueQuery) => ["conversions", "review", query] as const,
};

export type ReviewQueueQuery = { advertiser_id?: string; offer_id?: string; flag?: FraudFlag };

const advertiserQuery = (advertiserId: string | undefined) => (advertiserId ? { advertiser_id: advertiserId } : {});

export function useFraudRules(advertiserId: string | undefined) {
  return useQuery({
    queryKey: fraudKeys.rules(advertiserId),
    queryFn: () => unwrap(api.GET("/api/fraud-rules", { params: { query: advertiserQuery(advertiserId) } })),
  });
}

/** Replaces the advertiser's rules; every offer's view of them is read again. */
export function useSaveFraudRules(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (body: FraudRulesInput) => unwrap(api.PUT("/api/fraud-rules", { params: { query: advertiserQuery(advertiserId) }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(fraudKeys.rules(advertiserId), saved);
      void queryClient.invalidateQueries({ queryKey: ["fraud-rules", advertiserId ?? "own", "offer"] });
    },
  });
}

export function useOfferFraudRules(offerId: string, advertiserId?: string) {
  return useQuery({
    queryKey: fraudKeys.offer(offerId, advertiserId),
    queryFn: () => unwrap(api.GET("/api/fraud-rules/offers/{offer_id}", { params: { path: { offer_id: offerId }, query: advertiserQuery(advertiserId) } })),
  });
}

/** Replaces the offer's overrides (`body`), or drops them (null): the advertiser's rules apply again. */
export function useSaveOfferFraudRules(offerId: string, advertiserId?: string) {
  return useMutation({
    mutationFn: (body: FraudRulesInput | null) => {
      const params = { path: { offer_id: offerId }, query: advertiserQuery(advertiserId) };
      return unwrap(
        body === null ? api.DELETE("/api/fraud-rules/offers/{offer_id}", { params }) : api.PUT("/api/fraud-rules/offers/{offer_id}", { params, body }),
      );
    },
    onSuccess: (saved) => queryClient.setQueryData(fraudKeys.offer(offerId, advertiserId), saved),
  });
}

/** Conversions waiting for a person: held by a fraud rule or marked for review, not decided yet. */
export function useReviewQueue(query: ReviewQueueQuery) {
  return useQuery({
    queryKey: fraudKeys.queue(query),
    queryFn: () => unwrap(api.GET("/api/conversions/review", { params: { query } })),
  });
}
