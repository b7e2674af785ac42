import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";

export function useAdvertisers(enabled = true) {
  return useQuery({ queryKey: ["advertisers"], queryFn: () => unwrap(api.GET("/api/advertisers")), enabled });
}
