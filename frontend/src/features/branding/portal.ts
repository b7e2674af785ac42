import { queryOptions, type QueryKey } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";

/**
 * `GET /api/portal`: whose portal the page is on and the brand it shows. Asked for the page's host
 * alone, and, on the platform's own host, for the advertiser an affiliate works for.
 */
export const portalKeys = {
  all: ["portal"] as const,
  host: ["portal", "host"] as const,
  of: (advertiserId: string | null) => ["portal", "advertiser", advertiserId] as const,
};

function portalQuery(queryKey: QueryKey, advertiserId: string | null) {
  return queryOptions({
    queryKey,
    queryFn: ({ client }) =>
      unwrap(
        api.GET("/api/portal", {
          params: { query: advertiserId ? { advertiser_id: advertiserId } : {} },
          // The browser may keep the answer a minute; the first question takes it, but asking again
          // means the brand changed (it was just saved), so that goes past the browser's cache.
          cache: client.getQueryData(queryKey) === undefined ? "default" : "no-cache",
        }),
      ),
    staleTime: 60_000,
  });
}

/** The page's host: an advertiser's portal domain, or the platform's own (`platform`). */
export const hostPortalQuery = portalQuery(portalKeys.host, null);

/** An advertiser's brand as shown on the platform's own host (null: nothing to ask). */
export const advertiserPortalQuery = (advertiserId: string | null) => portalQuery(portalKeys.of(advertiserId), advertiserId);
