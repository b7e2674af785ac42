import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { useCan } from "@/features/auth/use-can";

export function useAdvertisers(enabled = true) {
  return useQuery({ queryKey: ["advertisers"], queryFn: () => unwrap(api.GET("/api/advertisers")), enabled });
}

/** The advertiser platform staff picked, kept in the URL (`advertiser_id`); always undefined for anyone else. */
export function usePickedAdvertiser(staff: boolean): [string | undefined, (advertiserId: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const advertiserId = staff ? (params.get("advertiser_id") ?? undefined) : undefined;
  const pick = (id: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set("advertiser_id", id);
      else next.delete("advertiser_id");
      return next;
    });
  return [advertiserId, pick];
}

/** Whose workspace a page works on: an advertiser's own, or the one platform staff picked (kept in the URL). */
export type WorkspaceAdvertiser = {
  /** Platform staff, who pick the advertiser (workspace:read:any). */
  staff: boolean;
  advertiserId: string | undefined;
  pick: (advertiserId: string | undefined) => void;
  /** The page has an advertiser to show: its own, or the one picked. */
  chosen: boolean;
  /** May change it (its own people, or staff with workspace:manage:any); support only reads. */
  manages: boolean;
  /** The API's query for it: `advertiser_id` when staff picked one, nothing for an advertiser's own. */
  query: { advertiser_id?: string };
  /** The same, for a link that keeps the choice (`?advertiser_id=…`, or ""). */
  search: string;
};

export function useWorkspaceAdvertiser(): WorkspaceAdvertiser {
  const can = useCan();
  const staff = can("workspace:read:any");
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  return {
    staff,
    advertiserId,
    pick,
    chosen: !staff || advertiserId !== undefined,
    manages: can(["workspace:manage:own", "workspace:manage:any"]),
    query: advertiserId ? { advertiser_id: advertiserId } : {},
    search: advertiserId ? `?${new URLSearchParams({ advertiser_id: advertiserId }).toString()}` : "",
  };
}
