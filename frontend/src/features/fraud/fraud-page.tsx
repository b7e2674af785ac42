import { BuildingIcon, ShieldCheckIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { FraudFlag } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { ConversionsTable } from "@/features/conversions/conversions-page";
import { FRAUD_FLAGS } from "@/features/fraud/fraud-rules";
import { FraudRulesCard } from "@/features/fraud/fraud-rules-card";
import { useReviewQueue } from "@/features/fraud/use-fraud-rules";

const ALL = "all";
type Tab = "queue" | "rules";

/** Fraud rules and the review queue: the conversions they held, to approve or reject in bulk; and the rules themselves. */
export function FraudPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Platform staff name the advertiser; an advertiser sees its own.
  const staff = can("workspace:read:any");
  const manages = can(["workspace:manage:own", "workspace:manage:any"]);
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get("tab") === "rules" ? "rules" : "queue";
  const chosen = !staff || advertiserId !== undefined;
  return (
    <>
      <PageHeader
        title={t("fraud.title")}
        description={t("fraud.description")}
        actions={staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="fraud-advertiser" /> : null}
      />
      {chosen ? (
        <Tabs
          value={tab}
          onValueChange={(value) => {
            const next = new URLSearchParams(params);
            if (value === "queue") next.delete("tab");
            else next.set("tab", value);
            setParams(next, { replace: true });
          }}
          className="space-y-6"
        >
          <TabsList>
            <TabsTrigger value="queue" data-testid="fraud-tab-queue">
              {t("fraud.tabs.queue")}
            </TabsTrigger>
            <TabsTrigger value="rules" data-testid="fraud-tab-rules">
              {t("fraud.tabs.rules")}
            </TabsTrigger>
          </TabsList>
          <TabsContent value="queue" className="space-y-4">
            <ReviewQueue advertiserId={advertiserId} />
          </TabsContent>
          <TabsContent value="rules">
            <FraudRulesCard advertiserId={advertiserId} manages={manages} />
          </TabsContent>
        </Tabs>
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}

function ReviewQueue({ advertiserId }: { advertiserId: string | undefined }) {
  const can = useCan();
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const flagParam = params.get("flag");
  const flag = FRAUD_FLAGS.find((known) => known === flagParam);
  const offerId = params.get("offer_id") ?? undefined;
  const everyOffer = { ...(advertiserId ? { advertiser_id: advertiserId } : {}), ...(flag ? { flag } : {}) };
  // The offers to choose from are those with conversions waiting, whichever one is picked.
  const waiting = useReviewQueue(everyOffer);
  const shown = useReviewQueue({ ...everyOffer, ...(offerId ? { offer_id: offerId } : {}) });
  const offers = new Map((waiting.data?.items ?? []).map((conversion) => [conversion.offer_id, conversion.offer_name]));
  if (offerId && !offers.has(offerId)) offers.set(offerId, offerId);
  const setFilter = (name: "flag" | "offer_id", value: string | undefined) => {
    const query = new URLSearchParams(params);
    if (value) query.set(name, value);
    else query.delete(name);
    setParams(query, { replace: true });
  };
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <p className="mr-auto text-sm text-muted-foreground">{t("fraud.queueText")}</p>
        <Select value={offerId ?? ALL} onValueChange={(next) => setFilter("offer_id", next === ALL ? undefined : next)}>
          <SelectTrigger className="w-56" aria-label={t("fraud.offerFilter")} data-testid="fraud-queue-offer">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t("fraud.allOffers")}</SelectItem>
            {[...offers].map(([id, name]) => (
              <SelectItem key={id} value={id}>
                <UserText value={name} />
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={flag ?? ALL} onValueChange={(next) => setFilter("flag", next === ALL ? undefined : (next as FraudFlag))}>
          <SelectTrigger className="w-56" aria-label={t("fraud.flagFilter")} data-testid="fraud-queue-flag">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t("fraud.allFlags")}</SelectItem>
            {FRAUD_FLAGS.map((known) => (
              <SelectItem key={known} value={known}>
                {t(`fraud.flags.${known}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {/* A new filter starts with nothing selected. */}
      <ConversionsTable
        key={`${advertiserId ?? ""}|${flag ?? ""}|${offerId ?? ""}`}
        conversions={shown}
        advertiserId={advertiserId}
        decides={can(["workspace:manage:own", "workspace:manage:any"])}
        empty={{ icon: ShieldCheckIcon, title: t("fraud.queueEmptyTitle"), description: t("fraud.queueEmptyText") }}
      />
    </>
  );
}
