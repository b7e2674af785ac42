import { useMutation } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";

/** What staff suspend or reactivate: an advertiser, or an affiliate everywhere or (`advertiserId`) in one program. */
export type SuspensionTarget = { kind: "advertiser"; advertiserId: string } | { kind: "affiliate"; affiliateId: string; advertiserId?: string };

/** Whether the answer changed anything: suspending what is suspended changes nothing and says so. */
type Answer = { changed: boolean };

function send(target: SuspensionTarget, suspend: boolean, text: string): Promise<Answer> {
  if (target.kind === "advertiser") {
    const path = { advertiser_id: target.advertiserId };
    return suspend
      ? unwrap(api.POST("/api/advertisers/{advertiser_id}/suspend", { params: { path }, body: { reason: text } }))
      : unwrap(api.POST("/api/advertisers/{advertiser_id}/reactivate", { params: { path }, body: { note: text } }));
  }
  const path = { affiliate_id: target.affiliateId };
  const program = target.advertiserId ? { advertiser_id: target.advertiserId } : {};
  return suspend
    ? unwrap(api.POST("/api/affiliates/{affiliate_id}/suspend", { params: { path }, body: { reason: text, ...program } }))
    : unwrap(api.POST("/api/affiliates/{affiliate_id}/reactivate", { params: { path }, body: { note: text, ...program } }));
}

/** Suspends (`suspend`) or reactivates the target with the reason or note typed; the lists that show its status are read again. */
export function useSuspension(target: SuspensionTarget, suspend: boolean) {
  return useMutation({
    mutationFn: (text: string) => send(target, suspend, text),
    onSuccess: () => {
      for (const queryKey of [["advertisers"], ["users"], ["memberships"]]) void queryClient.invalidateQueries({ queryKey });
    },
  });
}
