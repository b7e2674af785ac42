import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";

/** One click as the signed-in user may inspect it (another tenant's click answers 404). */
export function useClick(clickId: string) {
  return useQuery({
    queryKey: ["clicks", clickId],
    queryFn: () => unwrap(api.GET("/api/clicks/{click_id}", { params: { path: { click_id: clickId } } })),
    enabled: clickId.length > 0,
    retry: false,
  });
}
