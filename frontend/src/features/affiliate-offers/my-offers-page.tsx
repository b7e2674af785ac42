import { useMutation } from "@tanstack/react-query";
import { BadgePercentIcon, LinkIcon, LockIcon, SendIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { AffiliateOffer } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { isRunnable, myOffersKey, useMyOffers } from "@/features/affiliate-offers/use-my-offers";
import { useRequiredSession } from "@/features/auth/use-session";
import { NoContextState } from "@/features/memberships/no-context-state";
import { OfferAccessBadge } from "@/features/offers/offer-badges";
import { CLICK_GOAL, modelKey } from "@/features/offers/cpc";
import { formatAmount } from "@/features/offers/payout";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

export function MyOffersPage() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const offers = useMyOffers();

  let body;
  if (!context.advertiser_id) body = <NoContextState description={t("myOffers.noContextText")} />;
  else if (offers.isError) {
    body = (
      <Card>
        <ErrorState error={offers.error} onRetry={() => void offers.refetch()} />
      </Card>
    );
  } else if (offers.isPending) {
    body = (
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 3 }, (_, index) => (
          <Skeleton key={index} className="h-56 rounded-xl" />
        ))}
      </div>
    );
  } else if (offers.data.items.length === 0) {
    body = (
      <Card>
        <EmptyState icon={BadgePercentIcon} title={t("myOffers.emptyTitle")} description={t("myOffers.emptyText")} />
      </Card>
    );
  } else {
    body = (
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {offers.data.items.map((offer) => (
          <OfferCard key={offer.id} offer={offer} />
        ))}
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title={t("myOffers.title")}
        description={context.advertiser_name ? t("myOffers.descriptionIn", { advertiser: context.advertiser_name }) : t("myOffers.description")}
      />
      {body}
    </>
  );
}

function OfferCard({ offer }: { offer: AffiliateOffer }) {
  const { t, i18n } = useTranslation();
  const { context } = useRequiredSession();
  const errorMessage = useErrorMessage();
  const request = useMutation({
    mutationFn: () => unwrap(api.POST("/api/my/offers/{offer_id}/request-access", { params: { path: { offer_id: offer.id } } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(myOffersKey(context.advertiser_id), (current: { items: AffiliateOffer[] } | undefined) =>
        current ? { items: current.items.map((item) => (item.id === updated.id ? updated : item)) } : current,
      );
      toast.success(t("myOffers.requested", { name: updated.name }));
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const canRequest = offer.access === "none" && offer.visibility === "approval";

  return (
    <Card className="flex flex-col" data-testid={`my-offer-${offer.id}`}>
      <CardHeader className="pb-4">
        <div className="flex items-start justify-between gap-3">
          <CardTitle className="leading-snug">
            <UserText value={offer.name} />
          </CardTitle>
          <OfferAccessBadge access={offer.access} testId={`my-offer-access-${offer.id}`} />
        </div>
        <div className="flex flex-wrap gap-1.5">
          <Badge variant="outline">{t(modelKey(offer.model))}</Badge>
          {offer.visibility === "public" ? null : (
            <Badge variant="neutral">
              <LockIcon /> {t(`offers.visibility.${offer.visibility}`)}
            </Badge>
          )}
        </div>
        {offer.description ? (
          <CardDescription className="line-clamp-3 whitespace-pre-line">
            <UserText value={offer.description} />
          </CardDescription>
        ) : null}
      </CardHeader>
      <CardContent className="flex-1">
        <p className="mb-2 text-xs font-medium tracking-wide text-muted-foreground uppercase">{t("myOffers.payouts")}</p>
        <ul className="divide-y rounded-lg border text-sm">
          {offer.goals.map((goal) => (
            <li key={goal.key} className="flex items-center justify-between gap-3 px-3 py-2" data-testid={`my-offer-goal-${offer.id}-${goal.key}`}>
              <UserText value={goal.name} className="text-muted-foreground" />
              <span className="font-semibold tabular-nums">
                {formatAmount(goal.payout_type, goal.payout, offer.currency, i18n.language)}
                {goal.payout_type === "percent" ? <span className="ml-1 text-xs font-normal text-muted-foreground">{t("myOffers.ofSale")}</span> : null}
                {goal.key === CLICK_GOAL ? <span className="ml-1 text-xs font-normal text-muted-foreground">{t("cpc.perClick")}</span> : null}
              </span>
            </li>
          ))}
        </ul>
        {offer.epc ? (
          <p className="mt-2 flex items-center justify-between gap-3 px-3 text-sm" data-testid={`my-offer-epc-${offer.id}`}>
            <span className="text-muted-foreground" title={t("cpc.epcHint")}>
              {t("cpc.epc")}
            </span>
            <span className="font-semibold tabular-nums">{formatDecimalMoney(offer.epc, offer.currency, i18n.language)}</span>
          </p>
        ) : null}
      </CardContent>
      <CardFooter className="justify-end">
        {isRunnable(offer) ? (
          <Button asChild size="sm">
            <Link to={`/link-builder?offer=${encodeURIComponent(offer.id)}`} data-testid={`my-offer-link-${offer.id}`}>
              <LinkIcon /> {t("myOffers.getLink")}
            </Link>
          </Button>
        ) : canRequest ? (
          <Button size="sm" variant="outline" disabled={request.isPending} onClick={() => request.mutate()} data-testid={`my-offer-request-${offer.id}`}>
            {request.isPending ? <Spinner /> : <SendIcon />}
            {t("myOffers.requestAccess")}
          </Button>
        ) : (
          <span className="text-xs text-muted-foreground">{t(`myOffers.accessHint.${offer.access}`)}</span>
        )}
      </CardFooter>
    </Card>
  );
}
