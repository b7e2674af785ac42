import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { FinanceSettings, InvoiceLanguage, PayoutInput, PayoutRequestInput, TopupInput } from "@/api/types";

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

export function usePayoutRequests(books: Books, enabled = true) {
  return useQuery({
    queryKey: financeKeys.of(books, "payout-requests"),
    queryFn: () => unwrap(api.GET("/api/finance/payout-requests", query(books))),
    enabled,
  });
}

export function useTopupRequests(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "topup-requests"), queryFn: () => unwrap(api.GET("/api/finance/topup-requests", query(books))), enabled });
}

/** The issued invoices and this month's preview; an affiliate has none. */
export function useInvoices(books: Books, enabled = true) {
  return useQuery({ queryKey: financeKeys.of(books, "invoices"), queryFn: () => unwrap(api.GET("/api/finance/invoices", query(books))), enabled });
}

/** One month ("2026-03") with its conversions. */
export function useInvoice(books: Books, month: string, enabled = true) {
  return useQuery({
    queryKey: financeKeys.of(books, `invoice:${month}`),
    queryFn: () => unwrap(api.GET("/api/finance/invoices/{month}", { params: { path: { month }, ...query(books).params } })),
    enabled,
  });
}

/** Every advertiser's books side by side, for platform staff. */
export function useFinanceOverview(enabled = true) {
  return useQuery({ queryKey: [...financeKeys.all, "overview"], queryFn: () => unwrap(api.GET("/api/finance/overview")), enabled });
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

/** An affiliate asks to be paid (in its current advertiser, from the session). */
export function useRequestPayout() {
  return useMutation({
    mutationFn: (body: PayoutRequestInput) => unwrap(api.POST("/api/finance/payout-requests", { body })),
    onSuccess: refetchFinance,
  });
}

/** The advertiser sends a top-up's bank reference for the platform to confirm. */
export function useSubmitTopupRequest(books: Books) {
  return useMutation({
    mutationFn: (body: TopupInput) => unwrap(api.POST("/api/finance/topup-requests", { ...query(books), body })),
    onSuccess: refetchFinance,
  });
}

export type TopupDecision = "confirm" | "reject";

/** Owner and platform admin confirm a submitted top-up (it is posted to the deposits) or reject it. */
export function useDecideTopup(advertiserId: string) {
  return useMutation({
    mutationFn: ({ requestId, decision }: { requestId: string; decision: TopupDecision }) =>
      unwrap(
        api.POST("/api/finance/topup-requests/{request_id}/{decision}", {
          params: { path: { request_id: requestId, decision }, query: { advertiser_id: advertiserId } },
        }),
      ),
    onSuccess: refetchFinance,
  });
}

/** The PDF's link lives a few minutes, so it is asked for right before the browser fetches it. */
export function useDownloadInvoice(books: Books) {
  return useMutation({
    mutationFn: async ({ month, language }: { month: string; language: InvoiceLanguage }) =>
      (
        await unwrap(
          api.GET("/api/finance/invoices/{month}/document", {
            params: { path: { month }, query: { language, ...(books.advertiserId ? { advertiser_id: books.advertiserId } : {}) } },
          }),
        )
      ).download_url,
    onSuccess: (url) => window.location.assign(url),
  });
}
