import { unwrap } from "@/api/api-error";
import { api, refreshSession } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { sessionStore } from "@/api/session-store";

/**
 * Opens `userId`'s dashboard as that user sees it, read-only (staff's "view as"): what was cached for the
 * staff member is dropped, so no page mixes the two.
 */
export async function startViewAs(userId: string): Promise<void> {
  const view = await unwrap(api.POST("/api/users/{user_id}/view-as", { params: { path: { user_id: userId } } }));
  queryClient.clear();
  sessionStore.view(view);
}

/** Back to the staff member's own session (its refresh cookie was never touched); signed out if that ended too. */
export async function leaveViewAs(): Promise<void> {
  queryClient.clear();
  const own = await refreshSession();
  if (!own) sessionStore.clear();
}
