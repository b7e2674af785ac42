import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { ConversionDecision, ConversionQuery } from "@/api/types";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";

export const conversionKeys = {
  all: ["conversions"] as const,
  list: (query: ConversionQuery) => ["conversions", "list", query] as const,
  /** An affiliate's conversions differ per advertiser context, so the context is part of the key. */
  mine: (advertiserId: string | null, query: ConversionQuery) => ["conversions", "mine", advertiserId, query] as const,
};

/** The conversions the signed-in user may see: an advertiser's own, or an affiliate's own in its current context. */
export function fetchConversions(query: ConversionQuery) {
  return unwrap(api.GET("/api/conversions", { params: { query } }));
}

export function useConversions(query: ConversionQuery, enabled = true) {
  return useQuery({ queryKey: conversionKeys.list(query), queryFn: () => fetchConversions(query), enabled });
}

/** Approves or rejects conversions (of the advertiser given, else of the one platform staff picked, if they did); every list is fetched again afterwards. */
export function useDecideConversions(advertiserId?: string) {
  const { query } = useWorkspaceAdvertiser();
  return useMutation({
    mutationFn: (body: ConversionDecision) =>
      unwrap(api.POST("/api/conversions/decisions", { params: { query: advertiserId ? { advertiser_id: advertiserId } : query }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: conversionKeys.all }),
  });
}
