import { useMutation } from "@tanstack/react-query";
import { ArchiveIcon, ArrowLeftIcon, PauseIcon, PlayIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Offer, OfferStatus, OfferUpdate } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { UserText } from "@/components/user-text";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { BlockListEditor } from "@/features/block-lists/block-list-editor";
import { OfferFraudCard } from "@/features/fraud/offer-fraud-card";
import { OfferAffiliatesTab } from "@/features/offers/offer-affiliates-tab";
import { modelKey } from "@/features/offers/cpc";
import { OfferStatusBadge } from "@/features/offers/offer-badges";
import { OfferForm } from "@/features/offers/offer-form";
import { OfferPostbackCard } from "@/features/offers/offer-postback-card";
import { offerToForm } from "@/features/offers/offer-schema";
import { offerKeys, useOffer } from "@/features/offers/use-offers";
import { useErrorMessage } from "@/lib/use-error-message";

type Tab = "details" | "affiliates" | "blocks";
const TABS: readonly Tab[] = ["details", "affiliates", "blocks"];

/** Saves a change to the offer and puts the answer in the cache the page reads. */
function useUpdateOffer(offerId: string) {
  const { query } = useWorkspaceAdvertiser();
  return useMutation({
    mutationFn: (body: OfferUpdate) => unwrap(api.PATCH("/api/offers/{offer_id}", { params: { path: { offer_id: offerId }, query }, body })),
    onSuccess: (offer) => {
      queryClient.setQueryData(offerKeys.detail(offerId), offer);
      void queryClient.invalidateQueries({ queryKey: ["offers", "list"] });
    },
  });
}

export function OfferEditPage() {
  const { t } = useTranslation();
  const { offerId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((each) => each === params.get("tab")) ?? "details";
  const workspace = useWorkspaceAdvertiser();
  const offer = useOffer(offerId, workspace.query);

  const back = (
    <Button asChild variant="ghost" size="sm">
      <Link to={`/offers${workspace.search}`} data-testid="offer-back">
        <ArrowLeftIcon /> {t("offers.backToList")}
      </Link>
    </Button>
  );

  if (offer.isPending) {
    return (
      <>
        <PageHeader title={t("common.loading")} actions={back} />
        <Skeleton className="h-48 w-full rounded-xl" />
        <Skeleton className="h-96 w-full rounded-xl" />
      </>
    );
  }
  if (offer.isError) {
    return (
      <>
        <PageHeader title={t("offers.editTitle")} actions={back} />
        <Card>
          <ErrorState error={offer.error} onRetry={() => void offer.refetch()} />
        </Card>
      </>
    );
  }

  const current = offer.data;
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2" data-testid="offer-title">
            <UserText value={current.name} />
            <OfferStatusBadge status={current.status} />
            <Badge variant="outline">{t(modelKey(current.model))}</Badge>
          </span>
        }
        description={t("offers.editText")}
        actions={
          <>
            {back}
            {workspace.manages ? <StatusActions offer={current} /> : null}
          </>
        }
      />
      <Tabs
        value={tab}
        onValueChange={(value) => {
          const next = new URLSearchParams(params);
          if (value === "details") next.delete("tab");
          else next.set("tab", value);
          setParams(next, { replace: true });
        }}
        className="space-y-6"
      >
        <TabsList>
          <TabsTrigger value="details" data-testid="offer-tab-details">
            {t("offers.tabs.details")}
          </TabsTrigger>
          <TabsTrigger value="affiliates" data-testid="offer-tab-affiliates">
            {t("offers.tabs.affiliates")}
          </TabsTrigger>
          <TabsTrigger value="blocks" data-testid="offer-tab-blocks">
            {t("blocks.offerTab")}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="details" className="space-y-6">
          <OfferPostbackCard offer={current} />
          <OfferDetailsForm offer={current} />
          <OfferFraudCard offerId={current.id} advertiserId={workspace.advertiserId} manages={workspace.manages} />
        </TabsContent>
        <TabsContent value="affiliates">
          <OfferAffiliatesTab offer={current} />
        </TabsContent>
        <TabsContent value="blocks" className="space-y-4">
          <p className="text-sm text-muted-foreground">{t("blocks.offerText")}</p>
          <BlockListEditor scope={{ offerId: current.id, advertiserId: workspace.advertiserId }} manages={workspace.manages} />
        </TabsContent>
      </Tabs>
    </>
  );
}

function OfferDetailsForm({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const update = useUpdateOffer(offer.id);
  const { manages } = useWorkspaceAdvertiser();
  return (
    <OfferForm
      readOnly={!manages}
      // Read once: a status change or a rotated secret must not wipe edits that are not saved yet.
      defaultValues={offerToForm(offer)}
      onSubmit={(body) => update.mutate(body, { onSuccess: () => toast.success(t("offers.saved")) })}
      submitting={update.isPending}
      error={update.error}
      submitLabel={t("common.save")}
    />
  );
}

function StatusActions({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const update = useUpdateOffer(offer.id);
  const setStatus = (status: OfferStatus) =>
    update.mutate(
      { status },
      {
        onSuccess: (updated) => toast.success(t(`offers.statusChanged.${updated.status}`, { name: updated.name })),
        onError: (error) => toast.error(errorMessage(error)),
      },
    );
  const busy = update.isPending;
  return (
    <>
      {offer.status === "active" ? null : (
        <Button size="sm" disabled={busy} onClick={() => setStatus("active")} data-testid="offer-activate">
          <PlayIcon /> {t("offers.actions.activate")}
        </Button>
      )}
      {offer.status === "active" ? (
        <Button size="sm" variant="outline" disabled={busy} onClick={() => setStatus("paused")} data-testid="offer-pause">
          <PauseIcon /> {t("offers.actions.pause")}
        </Button>
      ) : null}
      {offer.status === "archived" ? null : (
        <Confirm
          trigger={
            <Button size="sm" variant="outline" disabled={busy} data-testid="offer-archive">
              <ArchiveIcon /> {t("offers.actions.archive")}
            </Button>
          }
          title={t("offers.actions.archiveTitle")}
          description={t("offers.actions.archiveText", { name: offer.name })}
          confirmLabel={t("offers.actions.archive")}
          onConfirm={() => setStatus("archived")}
          testId="offer-archive-confirm"
        />
      )}
    </>
  );
}
