import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { useRequiredSession } from "@/features/auth/use-session";

/** `["me"]` invalidates every user's answer; the user's id keeps one signed-in user's apart from the next one's. */
export const meQueryKey = (userId: string) => ["me", userId] as const;

/** The signed-in user as the API sees it now: its context, (affiliates) its memberships and its permissions. */
export function useMe() {
  const { user } = useRequiredSession();
  return useQuery({ queryKey: meQueryKey(user.id), queryFn: () => unwrap(api.GET("/api/me")) });
}
