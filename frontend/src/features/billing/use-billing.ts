import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { BillingProfile, InvoiceLanguage, NewPlanInput, PlanChangeInput, PlanInput, Subscription, TermsInput } from "@/api/types";

/*
 * The platform's plans and its billing of advertisers. Whose subscription a call is about:
 * `advertiserId` for platform staff (they pick one), the advertiser's own (from the session) without it.
 * Every key starts with "billing": a 402 from anywhere asks for all of it again.
 */
export const billingKeys = {
  all: ["billing"] as const,
  plans: ["billing", "plans"] as const,
  adminPlans: ["billing", "admin-plans"] as const,
  overview: ["billing", "overview"] as const,
  subscriptions: ["billing", "subscriptions"] as const,
  of: (advertiserId: string | undefined, what: string) => ["billing", "advertiser", advertiserId ?? null, what] as const,
};

const query = (advertiserId: string | undefined) => ({ params: { query: advertiserId ? { advertiser_id: advertiserId } : {} } });

const refetchBilling = () => queryClient.invalidateQueries({ queryKey: billingKeys.all });

/** The plans offered, by rank; anyone may ask, signed in or not. */
export function usePlans() {
  return useQuery({ queryKey: billingKeys.plans, queryFn: () => unwrap(api.GET("/api/plans")), staleTime: 5 * 60_000 });
}

/**
 * The subscription, what it costs and what it pays next. The app's banner asks on every page: the
 * answer is kept five minutes, and anything that changes the subscription asks again.
 */
export function useSubscription(advertiserId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: billingKeys.of(advertiserId, "subscription"),
    queryFn: () => unwrap(api.GET("/api/billing/subscription", query(advertiserId))),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** This month's usage against the plan's limits. */
export function useUsage(advertiserId: string | undefined, enabled = true) {
  return useQuery({ queryKey: billingKeys.of(advertiserId, "usage"), queryFn: () => unwrap(api.GET("/api/billing/usage", query(advertiserId))), enabled });
}

/** The platform's invoices to the advertiser, newest first. */
export function usePlatformInvoices(advertiserId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: billingKeys.of(advertiserId, "invoices"),
    queryFn: () => unwrap(api.GET("/api/billing/invoices", query(advertiserId))),
    enabled,
  });
}

export function useBillingProfile(advertiserId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: billingKeys.of(advertiserId, "profile"),
    queryFn: () => unwrap(api.GET("/api/billing/profile", query(advertiserId))),
    enabled,
  });
}

const keepSubscription = (advertiserId: string | undefined) => (subscription: Subscription) => {
  queryClient.setQueryData(billingKeys.of(advertiserId, "subscription"), subscription);
  return refetchBilling();
};

/** Chooses a plan and its billing: a first choice and an upgrade start now, a downgrade at the period's end. */
export function useChangePlan(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (body: PlanChangeInput) => unwrap(api.POST("/api/billing/subscription/change", { ...query(advertiserId), body })),
    onSuccess: (change) => keepSubscription(advertiserId)(change.subscription),
  });
}

/** Ends the subscription at the period's end. */
export function useCancelSubscription(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/billing/subscription/cancel", query(advertiserId))),
    onSuccess: keepSubscription(advertiserId),
  });
}

/** Keeps a subscription that was to end. */
export function useResumeSubscription(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/billing/subscription/resume", query(advertiserId))),
    onSuccess: keepSubscription(advertiserId),
  });
}

/** Pays an open invoice by card: the browser goes to the payment provider's page, which sends it back to the billing page. */
export function usePayInvoice(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: async (invoiceId: string) =>
      (await unwrap(api.POST("/api/billing/invoices/{invoice_id}/checkout", { params: { path: { invoice_id: invoiceId }, ...query(advertiserId).params } })))
        .url,
    onSuccess: (url) => window.location.assign(url),
  });
}

/** Saves or replaces the card later periods are charged to, on the payment provider's page. */
export function useUpdateCard(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: async () => (await unwrap(api.POST("/api/billing/card", query(advertiserId)))).url,
    onSuccess: (url) => window.location.assign(url),
  });
}

export function useSaveBillingProfile(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (body: BillingProfile) => unwrap(api.PUT("/api/billing/profile", { ...query(advertiserId), body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(billingKeys.of(advertiserId, "profile"), saved);
      // The payment method is the subscription's too.
      return refetchBilling();
    },
  });
}

/** The PDF's link lives a few minutes, so it is asked for right before the browser fetches it. */
export function useDownloadPlatformInvoice(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: async ({ invoiceId, language }: { invoiceId: string; language: InvoiceLanguage }) =>
      (
        await unwrap(
          api.GET("/api/billing/invoices/{invoice_id}/document", {
            params: { path: { invoice_id: invoiceId }, query: { language, ...(advertiserId ? { advertiser_id: advertiserId } : {}) } },
          }),
        )
      ).download_url,
    onSuccess: (url) => window.location.assign(url),
  });
}

// --- The Owner's -------------------------------------------------------------------------------

/** Every plan, offered or not, each at its latest version. */
export function useAdminPlans(enabled = true) {
  return useQuery({ queryKey: billingKeys.adminPlans, queryFn: () => unwrap(api.GET("/api/admin/plans")), enabled });
}

/** Adds a plan (`code` null) or saves a new version of one. */
export function useSavePlan(code: string | null) {
  return useMutation({
    mutationFn: (body: PlanInput | NewPlanInput) =>
      unwrap(
        code === null ? api.POST("/api/admin/plans", { body: body as NewPlanInput }) : api.PUT("/api/admin/plans/{code}", { params: { path: { code } }, body }),
      ),
    onSuccess: refetchBilling,
  });
}

/** Recurring revenue, subscriptions, trials ending, overdue invoices and churn. */
export function useBillingOverview(enabled = true) {
  return useQuery({ queryKey: billingKeys.overview, queryFn: () => unwrap(api.GET("/api/admin/billing/overview")), enabled });
}

/** Records the bank transfer that paid an invoice; a suspended subscription it pays is reactivated. */
export function useMarkPaid() {
  return useMutation({
    mutationFn: ({ advertiserId, invoiceId, reference }: { advertiserId: string; invoiceId: string; reference: string }) =>
      unwrap(
        api.POST("/api/admin/billing/invoices/{advertiser_id}/{invoice_id}/paid", {
          params: { path: { advertiser_id: advertiserId, invoice_id: invoiceId } },
          body: { reference },
        }),
      ),
    onSuccess: refetchBilling,
  });
}

/** Every advertiser's subscription, by the advertiser's name. */
export function useStaffSubscriptions(enabled = true) {
  return useQuery({ queryKey: billingKeys.subscriptions, queryFn: () => unwrap(api.GET("/api/admin/subscriptions")), enabled });
}

/** Sets an advertiser's own price and limits: the limits hold at once, the price from its next period. */
export function useSetTerms() {
  return useMutation({
    mutationFn: ({ advertiserId, terms }: { advertiserId: string; terms: TermsInput }) =>
      unwrap(api.PUT("/api/admin/subscriptions/{advertiser_id}/terms", { params: { path: { advertiser_id: advertiserId } }, body: terms })),
    onSuccess: refetchBilling,
  });
}
