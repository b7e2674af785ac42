import { BuildingIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useBillingAccess } from "@/features/billing/billing-access";
import { PlatformInvoicesCard } from "@/features/billing/platform-invoices-card";
import { BillingProfileCard } from "@/features/billing/profile-card";
import { SubscriptionCard } from "@/features/billing/subscription-card";
import { UsageCard } from "@/features/billing/usage-card";

/**
 * The advertiser's plan and what it costs: its subscription, this month's usage against the plan, the
 * platform's invoices to it and whom they are addressed to. Platform staff pick the advertiser.
 */
export function BillingPage() {
  const { t } = useTranslation();
  const access = useBillingAccess();
  const staff = access.anyAdvertiser && !access.own;
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  return (
    <>
      <PageHeader
        title={t("plans.billing.title")}
        description={t(staff ? "plans.billing.staffDescription" : "plans.billing.description")}
        actions={staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="billing-advertiser" /> : null}
      />
      {staff && !advertiserId ? (
        <Card>
          <EmptyState
            icon={BuildingIcon}
            title={t("plans.billing.pickTitle")}
            description={t("plans.billing.pickText")}
            action={
              access.managesAny ? (
                <Button asChild variant="outline" size="sm">
                  <Link to="/admin/billing">{t("plans.billing.toOverview")}</Link>
                </Button>
              ) : null
            }
          />
        </Card>
      ) : (
        <>
          <SubscriptionCard advertiserId={advertiserId} pays={access.pays} manages={access.pays || access.managesAny} />
          <UsageCard advertiserId={advertiserId} pays={access.pays} />
          <PlatformInvoicesCard advertiserId={advertiserId} pays={access.pays} />
          <BillingProfileCard advertiserId={advertiserId} editable={access.pays || access.managesAny} />
        </>
      )}
    </>
  );
}
