import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { BlockList, BlockListInput, BlockListKind, SubKey } from "@/api/types";

/** Which list: the advertiser's own (no offer) or an offer's; `advertiserId` for platform staff, who name the advertiser. */
export type BlockListScope = { advertiserId?: string; offerId?: string };

export const blockListKey = ({ advertiserId, offerId }: BlockListScope) => ["block-list", advertiserId ?? null, offerId ?? null] as const;
const query = ({ advertiserId }: BlockListScope) => (advertiserId ? { advertiser_id: advertiserId } : {});

export function useBlockList(scope: BlockListScope) {
  return useQuery({
    queryKey: blockListKey(scope),
    queryFn: () =>
      unwrap(
        scope.offerId
          ? api.GET("/api/offers/{offer_id}/block-list", { params: { path: { offer_id: scope.offerId }, query: query(scope) } })
          : api.GET("/api/block-list", { params: { query: query(scope) } }),
      ),
  });
}

/** Replaces the whole list (a kind left out is emptied). */
export function useReplaceBlockList(scope: BlockListScope) {
  return useMutation({
    mutationFn: (body: BlockListInput) =>
      unwrap(
        scope.offerId
          ? api.PUT("/api/offers/{offer_id}/block-list", { params: { path: { offer_id: scope.offerId }, query: query(scope) }, body })
          : api.PUT("/api/block-list", { params: { query: query(scope) }, body }),
      ),
    onSuccess: (list) => queryClient.setQueryData<BlockList>(blockListKey(scope), list),
  });
}

/** Adds pasted entries of one kind, one a line. */
export function useAddEntries(scope: BlockListScope) {
  return useMutation({
    mutationFn: (body: { kind: BlockListKind; text: string; sub_key?: SubKey }) =>
      unwrap(
        scope.offerId
          ? api.POST("/api/offers/{offer_id}/block-list/entries", { params: { path: { offer_id: scope.offerId }, query: query(scope) }, body })
          : api.POST("/api/block-list/entries", { params: { query: query(scope) }, body }),
      ),
    onSuccess: (added) => queryClient.setQueryData<BlockList>(blockListKey(scope), added.block_list),
  });
}
