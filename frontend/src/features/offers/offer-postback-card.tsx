import { useMutation } from "@tanstack/react-query";
import { RefreshCwIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Offer } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { offerKeys } from "@/features/offers/use-offers";
import { useErrorMessage } from "@/lib/use-error-message";

/** Stands in for a secret the caller may not see (the API sends null then). */
export const HIDDEN_SECRET = "••••••••";

/** The URL the advertiser's system calls on a conversion; the braces are its own macros. */
export function postbackTemplate(origin: string, secret: string | null): string {
  const shown = secret === null ? HIDDEN_SECRET : encodeURIComponent(secret);
  return `${origin}/postback?click_id={click_id}&status={status}&txn_id={txn_id}&secret=${shown}`;
}

export function OfferPostbackCard({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  // The API leaves the secret out for those who may not see it (Support): no copy, no rotation.
  const secret = offer.postback_secret ?? null;
  const { query, manages } = useWorkspaceAdvertiser();
  const url = postbackTemplate(window.location.origin, secret);
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/offers/{offer_id}/rotate-secret", { params: { path: { offer_id: offer.id }, query } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(offerKeys.detail(offer.id), updated);
      void queryClient.invalidateQueries({ queryKey: offerKeys.all });
      toast.success(t("offers.postback.rotated"));
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("offers.postback.title")}</CardTitle>
        <CardDescription>{t("offers.postback.text")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <div className="flex items-start gap-2 rounded-lg border bg-muted/40 p-3">
          <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="offer-postback-url">
            {url}
          </code>
          {secret === null ? null : <CopyButton value={url} size="icon-sm" testId="offer-postback-copy" />}
        </div>
        {secret === null ? (
          <p className="text-xs text-muted-foreground" data-testid="offer-postback-secret-hidden">
            {t("offers.postback.secretHidden")}
          </p>
        ) : null}
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-xs text-muted-foreground">{t("offers.postback.macros")}</p>
          {secret === null || !manages ? null : (
            <Confirm
              trigger={
                <Button variant="outline" size="sm" disabled={rotate.isPending} data-testid="offer-rotate-secret">
                  {rotate.isPending ? <Spinner /> : <RefreshCwIcon />}
                  {t("offers.postback.rotate")}
                </Button>
              }
              title={t("offers.postback.rotateTitle")}
              description={t("offers.postback.rotateText")}
              confirmLabel={t("offers.postback.rotate")}
              onConfirm={() => rotate.mutate()}
              testId="offer-rotate-secret-confirm"
            />
          )}
        </div>
      </CardContent>
    </Card>
  );
}
