import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";

export const meQueryKey = ["me"] as const;

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: () => unwrap(api.GET("/api/me")) });
}
