import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/api/api-error";
import { sessionStore } from "@/api/session-store";

function onError(error: unknown): void {
  // The fetch layer already tried one refresh; a 401 reaching here means the session is over.
  // Clearing it lets the route guard send the user to /sign-in.
  if (error instanceof ApiError && error.status === 401 && sessionStore.get()) sessionStore.clear();
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
