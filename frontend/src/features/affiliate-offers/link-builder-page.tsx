import { BadgePercentIcon, EraserIcon, ExternalLinkIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { CopyButton } from "@/components/copy-button";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { buildTrackingLink, SUB_KEYS, type Subs } from "@/features/affiliate-offers/tracking-link";
import { isRunnable, useMyOffers } from "@/features/affiliate-offers/use-my-offers";
import { useRequiredSession } from "@/features/auth/use-session";
import { NoContextState } from "@/features/memberships/no-context-state";

export function LinkBuilderPage() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const offers = useMyOffers();

  let body;
  if (!context.advertiser_id) body = <NoContextState description={t("linkBuilder.noContextText")} />;
  else if (offers.isError) {
    body = (
      <Card>
        <ErrorState error={offers.error} onRetry={() => void offers.refetch()} />
      </Card>
    );
  } else if (offers.isPending) body = <Skeleton className="h-96 w-full rounded-xl" />;
  else {
    const runnable = offers.data.items.filter(isRunnable);
    body =
      runnable.length === 0 ? (
        <Card>
          <EmptyState
            icon={BadgePercentIcon}
            title={t("linkBuilder.emptyTitle")}
            description={t("linkBuilder.emptyText")}
            action={
              <Button asChild variant="outline" size="sm">
                <Link to="/my/offers">{t("nav.offers")}</Link>
              </Button>
            }
          />
        </Card>
      ) : (
        <Builder offers={runnable} />
      );
  }

  return (
    <>
      <PageHeader title={t("linkBuilder.title")} description={t("linkBuilder.description")} />
      {body}
    </>
  );
}

type RunnableOffer = { id: string; name: string; tracking_link: string };

function Builder({ offers }: { offers: RunnableOffer[] }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [subs, setSubs] = useState<Subs>({});
  // The chosen offer lives in the URL, so "Get link" on the offers page can preselect it.
  const offer = offers.find((candidate) => candidate.id === params.get("offer")) ?? (offers.length === 1 ? offers[0] : undefined);
  const url = offer ? buildTrackingLink(offer.tracking_link, subs) : null;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Card>
        <CardHeader>
          <CardTitle>{t("linkBuilder.settings")}</CardTitle>
          <CardDescription>{t("linkBuilder.subsText")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          <Field id="linkbuilder-offer" label={t("linkBuilder.offer")}>
            <Select
              value={offer?.id ?? ""}
              onValueChange={(offerId) => {
                const next = new URLSearchParams(params);
                next.set("offer", offerId);
                setParams(next, { replace: true });
              }}
            >
              <SelectTrigger id="linkbuilder-offer" data-testid="linkbuilder-offer">
                <SelectValue placeholder={t("linkBuilder.chooseOffer")} />
              </SelectTrigger>
              <SelectContent>
                {offers.map((candidate) => (
                  <SelectItem key={candidate.id} value={candidate.id} data-testid={`linkbuilder-offer-${candidate.id}`}>
                    <UserText value={candidate.name} />
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            {SUB_KEYS.map((key) => (
              <Field key={key} id={`linkbuilder-${key}`} label={key}>
                <Input
                  id={`linkbuilder-${key}`}
                  value={subs[key] ?? ""}
                  maxLength={255}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => setSubs((current) => ({ ...current, [key]: event.target.value }))}
                  data-testid={`linkbuilder-${key}`}
                />
              </Field>
            ))}
          </div>
          <Button variant="ghost" size="sm" disabled={Object.values(subs).every((value) => !value)} onClick={() => setSubs({})} data-testid="linkbuilder-clear">
            <EraserIcon /> {t("linkBuilder.clear")}
          </Button>
        </CardContent>
      </Card>
      <Card className="h-fit lg:sticky lg:top-20">
        <CardHeader>
          <CardTitle>{t("linkBuilder.result")}</CardTitle>
          <CardDescription>{offer ? t("linkBuilder.resultText", { offer: offer.name }) : t("linkBuilder.pickFirst")}</CardDescription>
        </CardHeader>
        {url ? (
          <CardContent className="space-y-3">
            <div className="rounded-lg border bg-muted/40 p-3">
              <code className="block font-mono text-xs break-all" data-testid="linkbuilder-url">
                {url}
              </code>
            </div>
            <div className="flex flex-wrap gap-2">
              <CopyButton value={url} testId="linkbuilder-copy" label={t("linkBuilder.copy")} />
              <Button asChild variant="outline" size="sm">
                <a href={url} target="_blank" rel="noopener noreferrer" data-testid="linkbuilder-open">
                  <ExternalLinkIcon /> {t("linkBuilder.open")}
                </a>
              </Button>
            </div>
          </CardContent>
        ) : null}
      </Card>
    </div>
  );
}
