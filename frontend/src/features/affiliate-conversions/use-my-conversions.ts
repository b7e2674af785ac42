import { useQuery } from "@tanstack/react-query";
import type { ConversionQuery } from "@/api/types";
import { useRequiredSession } from "@/features/auth/use-session";
import { conversionKeys, fetchConversions } from "@/features/conversions/use-conversions";

/** The affiliate's conversions with its current advertiser; idle while no advertiser is chosen. */
export function useMyConversions(query: ConversionQuery) {
  const { context } = useRequiredSession();
  const advertiserId = context.advertiser_id ?? null;
  return useQuery({
    queryKey: conversionKeys.mine(advertiserId, query),
    queryFn: () => fetchConversions(query),
    enabled: advertiserId !== null,
  });
}
