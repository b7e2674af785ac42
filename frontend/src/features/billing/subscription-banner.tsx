import { useEffect, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { subscriptionLock } from "@/api/subscription-lock";
import { Button } from "@/components/ui/button";
import { useCan } from "@/features/auth/use-can";
import { bannerFor, leavesForBilling, type BillingBanner } from "@/features/billing/banner";
import { Callout } from "@/features/billing/billing-parts";
import { useSubscription } from "@/features/billing/use-billing";
import { useNow } from "@/features/notifications/use-now";
import { formatDate } from "@/lib/format";

/**
 * The app's banner for an advertiser whose trial ends in a few days, whose payment is overdue, or
 * whose subscription is suspended or ended; nobody else asks for a subscription. Not on the billing
 * page, which says the same at length.
 */
export function SubscriptionBanner() {
  const can = useCan();
  const { pathname } = useLocation();
  const own = can("billing:read:own");
  const subscription = useSubscription(undefined, own);
  // Days left move on while the dashboard stays open.
  const now = useNow(60 * 60_000);
  const banner = own ? bannerFor(subscription.data, now) : null;
  if (!banner || !leavesForBilling(pathname)) return null;
  return <BannerText banner={banner} />;
}

function BannerText({ banner }: { banner: BillingBanner }) {
  const { t, i18n } = useTranslation();
  const tone = banner.kind === "trial_ending" ? "info" : banner.kind === "past_due" ? "warning" : "danger";
  const text =
    banner.kind === "trial_ending"
      ? t("plans.banner.trialEnding", { count: banner.daysLeft })
      : banner.kind === "past_due"
        ? banner.suspendsAt
          ? t("plans.banner.pastDue", { date: formatDate(banner.suspendsAt, i18n.language) })
          : t("plans.banner.pastDueNoDate")
        : t(`plans.banner.${banner.kind}`);
  return (
    <div data-testid="billing-banner" data-kind={banner.kind}>
      <Callout
        tone={tone}
        action={
          <Button asChild size="sm" variant={tone === "info" ? "outline" : "default"} data-testid="billing-banner-link">
            <Link to="/billing">{t(banner.kind === "trial_ending" ? "plans.banner.choosePlan" : "plans.banner.toBilling")}</Link>
          </Button>
        }
      >
        <p>{text}</p>
      </Callout>
    </div>
  );
}

/**
 * Sends the advertiser to the billing page when the API answered that its subscription is inactive
 * (the query client notes it, see `subscriptionLock`); on the billing pages it stays where it is.
 */
export function SubscriptionLockRedirect() {
  const locked = useSyncExternalStore(subscriptionLock.subscribe, subscriptionLock.get, subscriptionLock.get);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useEffect(() => {
    if (!locked) return;
    subscriptionLock.take();
    if (leavesForBilling(pathname)) navigate("/billing", { replace: true });
  }, [locked, pathname, navigate]);
  return null;
}
