import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { FinanceSettings, PayoutInput, TopupInput } from "@/api/types";

/**
 * Whose books a finance call reads: `advertiserId` for platform staff (they must pick one); the
 * advertiser's own and an affiliate's current context come from the session. `cacheScope` keeps
 * one affiliate context's answers apart from another's.
 */
export type Books = { advertiserId: string | undefined; cacheScope: string | null };

const financeKeys = {
  all: ["finance"] as const,
  of: (books: Books, what: string) => ["finance", books.advertiserId ?? null, books.cacheScope, what] as const,
};

const query = (books: Books) => ({ params: { query: books.advertiserId ? { advertiser_id: books.advertiserId } : {} } });

export function useBalances(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "balances"), queryFn: () => unwrap(api.GET("/api/finance/balances", query(books))), enabled });
}

export function usePayouts(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "payouts"), queryFn: () => unwrap(api.GET("/api/finance/payouts", query(books))), enabled });
}

export function useTopups(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "topups"), queryFn: () => unwrap(api.GET("/api/finance/topups", query(books))), enabled });
}

export function useFinanceSettings(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "settings"), queryFn: () => unwrap(api.GET("/api/finance/settings", query(books))), enabled });
}

// A payout or a top-up moves several balances at once: every finance answer is refetched.
const refetchFinance = () => queryClient.invalidateQueries({ queryKey: financeKeys.all });

export function usePay(books: Books) {
  return useMutation({
    mutationFn: (body: PayoutInput) => unwrap(api.POST("/api/finance/payouts", { ...query(books), body })),
    onSuccess: refetchFinance,
  });
}

export function useRecordTopup(advertiserId: string) {
  return useMutation({
    mutationFn: (body: TopupInput) => unwrap(api.POST("/api/finance/topups", { params: { query: { advertiser_id: advertiserId } }, body })),
    onSuccess: refetchFinance,
  });
}

export function useSaveFinanceSettings(books: Books) {
  return useMutation({
    mutationFn: (body: FinanceSettings) => unwrap(api.PUT("/api/finance/settings", { ...query(books), body })),
    onSuccess: refetchFinance,
  });
}
