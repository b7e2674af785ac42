import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { MeOut } from "@/api/types";
import { useRequiredSession } from "@/features/auth/use-session";

/** `["me"]` invalidates every user's answer; the user's id keeps one signed-in user's apart from the next one's. */
export const meQueryKey = (userId: string) => ["me", userId] as const;

const fetchMe = () => unwrap(api.GET("/api/me"));

function useMeQuery<Selected>(select: (me: MeOut) => Selected, refetchOnMount: boolean) {
  const { user } = useRequiredSession();
  return useQuery({ queryKey: meQueryKey(user.id), queryFn: fetchMe, select, refetchOnMount });
}

const whole = (me: MeOut) => me;
const permissionsOf = (me: MeOut) => me.permissions;

/** The signed-in user as the API sees it now: its context and (affiliates) its memberships, fresh when a screen opens. */
export function useMe() {
  return useMeQuery(whole, true);
}

/**
 * The signed-in user's permissions. They change with its role, not while it works: every button that
 * asks does not fetch them again (a new session, a context switch or a join does, by invalidating `["me"]`).
 */
export function useMyPermissions() {
  return useMeQuery(permissionsOf, false);
}

/**
 * The permissions of whoever is signed in (`userId`), wherever the page is: outside `RequireAuth`
 * too, where a visitor (null) has none and nothing is asked. The same answer `useMyPermissions` reads.
 */
export function useSessionPermissions(userId: string | null, enabled = true) {
  return useQuery({ queryKey: meQueryKey(userId ?? ""), queryFn: fetchMe, select: permissionsOf, refetchOnMount: false, enabled: enabled && userId !== null });
}
