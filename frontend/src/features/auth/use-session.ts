import { useSyncExternalStore } from "react";
import { sessionStore, type SessionState } from "@/api/session-store";

export function useSession(): SessionState | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
}

/** The session inside routes guarded by `RequireAuth`, where it always exists. */
export function useRequiredSession(): SessionState {
  const session = useSession();
  if (!session) throw new Error("useRequiredSession outside RequireAuth");
  return session;
}
