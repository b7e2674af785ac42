import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { sessionStore } from "@/api/session-store";

export async function signOut(): Promise<void> {
  const refreshToken = sessionStore.refreshToken();
  if (refreshToken) {
    // Best effort: the local session ends whether or not the server answers.
    await api.POST("/api/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
  }
  sessionStore.clear();
  queryClient.clear();
}
