import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { CSRF_HEADER, sessionStore } from "@/api/session-store";

export async function signOut(): Promise<void> {
  const csrf = sessionStore.csrfToken();
  if (csrf) {
    // Best effort: the local session ends whether or not the server answers. The server ends the
    // refresh chain and removes both cookies.
    await api.POST("/api/auth/logout", { headers: { [CSRF_HEADER]: csrf } }).catch(() => undefined);
  }
  sessionStore.clear();
  queryClient.clear();
}
