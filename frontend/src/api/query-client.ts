import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/api/api-error";
import { sessionStore } from "@/api/session-store";
import { isSubscriptionInactive, subscriptionLock } from "@/api/subscription-lock";

function onError(error: unknown): void {
  // The fetch layer already tried one refresh; a 401 reaching here means the session is over.
  // Clearing it lets the route guard send the user to /sign-in.
  if (error instanceof ApiError && error.status === 401 && sessionStore.get()) sessionStore.clear();
  // A suspended or canceled subscription opens the billing pages only: the app shell goes there, and the
  // subscription is asked for again (what was cached said it was still running).
  if (isSubscriptionInactive(error) && sessionStore.get()) {
    void queryClient.invalidateQueries({ queryKey: ["billing"] });
    subscriptionLock.report();
  }
  // Refused because the platform's staff suspended the account: what /api/me says shows the banner.
  if (error instanceof ApiError && error.code === "account_suspended" && sessionStore.get()) {
    void queryClient.invalidateQueries({ queryKey: ["me"] });
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && failures < 2,
    },
  },
});
