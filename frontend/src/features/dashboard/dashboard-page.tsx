import { useQuery } from "@tanstack/react-query";
import { BanknoteIcon, BuildingIcon, MousePointerClickIcon, ShoppingCartIcon, UserCheckIcon, WalletIcon, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useRequiredSession } from "@/features/auth/use-session";
import { NoContextState } from "@/features/memberships/no-context-state";
import { formatMoney, formatNumber, todayUtc } from "@/lib/format";

export function DashboardPage() {
  const { t } = useTranslation();
  const { user, context } = useRequiredSession();
  const [params, setParams] = useSearchParams();
  const platform = user.role === "owner" || user.role === "platform_admin" || user.role === "support";
  const pickedAdvertiser = platform ? (params.get("advertiser_id") ?? undefined) : undefined;

  let body: ReactNode;
  if (user.role === "affiliate" && !context.advertiser_id) {
    body = <NoContextState description={t("dashboard.noContextText")} />;
  } else if (platform && !pickedAdvertiser) {
    body = (
      <Card>
        <EmptyState icon={BuildingIcon} title={t("dashboard.pickTitle")} description={t("dashboard.pickText")} />
      </Card>
    );
  } else {
    body = <TodayTotals advertiserId={pickedAdvertiser} />;
  }

  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={
          user.role === "affiliate" && context.advertiser_name
            ? t("dashboard.descriptionIn", { advertiser: context.advertiser_name })
            : t("dashboard.description")
        }
        actions={
          platform ? (
            <AdvertiserPicker
              value={pickedAdvertiser}
              onChange={(value) => {
                const next = new URLSearchParams(params);
                if (value) next.set("advertiser_id", value);
                else next.delete("advertiser_id");
                setParams(next, { replace: true });
              }}
              testId="dashboard-advertiser"
            />
          ) : null
        }
      />
      {body}
    </>
  );
}

function TodayTotals({ advertiserId }: { advertiserId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const today = todayUtc();
  const query = { from: today, to: today, group_by: "day" as const, ...(advertiserId ? { advertiser_id: advertiserId } : {}) };
  const stats = useQuery({ queryKey: ["stats", query], queryFn: () => unwrap(api.GET("/api/stats", { params: { query } })) });

  if (stats.isError) {
    return (
      <Card>
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
      </Card>
    );
  }
  const totals = stats.data?.totals;
  const money = (amounts: Record<string, number> | undefined) => {
    const entries = Object.entries(amounts ?? {});
    if (entries.length === 0) return formatMoney(0, "USD", i18n.language);
    return entries.map(([currency, minor]) => formatMoney(minor, currency, i18n.language)).join(" · ");
  };
  const cards: { key: string; icon: LucideIcon; value: string }[] = totals
    ? [
        { key: "clicks", icon: MousePointerClickIcon, value: formatNumber(totals.clicks, i18n.language) },
        { key: "leads", icon: UserCheckIcon, value: formatNumber(totals.leads, i18n.language) },
        { key: "sales", icon: ShoppingCartIcon, value: formatNumber(totals.sales, i18n.language) },
        { key: "revenue", icon: BanknoteIcon, value: money(totals.revenue) },
        { key: "payout", icon: WalletIcon, value: money(totals.payout) },
      ]
    : [];

  return (
    <div className="space-y-3">
      <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">{t("dashboard.today")}</p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {stats.isPending
          ? Array.from({ length: 5 }, (_, index) => <Skeleton key={index} className="h-28 rounded-xl" />)
          : cards.map(({ key, icon: Icon, value }) => (
              <Card key={key} className="p-5" data-testid={`stat-${key}`}>
                <div className="flex items-center justify-between text-muted-foreground">
                  <span className="text-sm font-medium">{t(`dashboard.metrics.${key}`)}</span>
                  <Icon className="size-4" />
                </div>
                <div className="mt-3 text-2xl font-semibold tracking-tight tabular-nums">{value}</div>
              </Card>
            ))}
      </div>
    </div>
  );
}
