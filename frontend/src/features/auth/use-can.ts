import { useCallback, useMemo } from "react";
import type { Permission } from "@/api/types";
import { permits, type Requirement } from "@/features/auth/permissions";
import { useMyPermissions } from "@/features/auth/use-me";

export type Can = (required: Requirement) => boolean;

/** The permissions `GET /api/me` lists for the signed-in user; none before they have arrived. */
export function usePermissions(): ReadonlySet<Permission> {
  const { data } = useMyPermissions();
  return useMemo(() => new Set<Permission>(data ?? []), [data]);
}

/**
 * `can(permission)`: whether the signed-in user may do it. The API's permission matrix decides and
 * `GET /api/me` tells; the dashboard only shows what it allows. Before the list has arrived nothing is
 * allowed (`RequireAuth` waits for it, so dashboard pages always have it).
 */
export function useCan(): Can {
  const granted = usePermissions();
  return useCallback((required: Requirement) => permits(granted, required), [granted]);
}
