import type { SessionState } from "@/api/session-store";
import type { Permission, Portal } from "@/api/types";

/**
 * The advertiser whose brand the page shows instead of its host's: on the platform's own host, the
 * one an affiliate works for (its session's context; it switches with it). Null for the host's own
 * brand: a visitor's, staff's, an advertiser's team's, and anyone's on an advertiser's portal domain
 * (that host's brand is the page's whatever the session). Undefined while it cannot be told yet (the
 * host's answer, or a signed-in user's permissions, still on the way).
 */
export function brandedAdvertiser(
  host: Portal | undefined,
  session: SessionState | null,
  permissions: { data?: readonly Permission[] | undefined; isError: boolean },
): string | null | undefined {
  if (!host) return undefined;
  if (!host.platform || !session) return null;
  if (permissions.isError) return null;
  if (!permissions.data) return undefined;
  return permissions.data.includes("context:switch") ? session.context.advertiser_id : null;
}
