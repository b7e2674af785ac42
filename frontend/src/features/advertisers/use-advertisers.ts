import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";

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
