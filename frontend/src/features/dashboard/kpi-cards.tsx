import {
  BadgeDollarSignIcon,
  CoinsIcon,
  FingerprintIcon,
  MousePointerClickIcon,
  PercentIcon,
  PiggyBankIcon,
  ReceiptTextIcon,
  TrendingUpIcon,
  WalletIcon,
  type LucideIcon,
} from "lucide-react";
import { useTranslation } from "react-i18next";
import type { StatsRow } from "@/api/types";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatEpcMap, formatMoneyMap, formatPercentValue, formatRoiMap } from "@/features/stats/stats-format";
import { formatNumber } from "@/lib/format";

type Kpi = { key: string; icon: LucideIcon; value: string; hint?: string; raw?: number };

/** The period's headline figures; revenue, profit and ROI only for those who may see them. */
export function KpiCards({ totals, seesRevenue }: { totals: StatsRow | undefined; seesRevenue: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const count = seesRevenue ? 9 : 6;
  if (!totals) {
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="kpi-loading">
        {Array.from({ length: count }, (_, index) => (
          <Skeleton key={index} className="h-24 rounded-xl" />
        ))}
      </div>
    );
  }
  const number = (value: number) => formatNumber(value, language);
  const cards: Kpi[] = [
    {
      key: "clicks",
      icon: MousePointerClickIcon,
      value: number(totals.clicks),
      raw: totals.clicks,
      hint: t("dashboard.hints.blocked", { n: number(totals.blocked) }),
    },
    {
      key: "unique",
      icon: FingerprintIcon,
      value: number(totals.unique),
      raw: totals.unique,
      hint: totals.clicks > 0 ? t("dashboard.hints.uniqueShare", { share: formatPercentValue((totals.unique / totals.clicks) * 100, language) }) : undefined,
    },
    {
      key: "conversions",
      icon: ReceiptTextIcon,
      value: number(totals.conversions),
      raw: totals.conversions,
      hint: t("dashboard.hints.conversions", { leads: number(totals.leads), sales: number(totals.sales) }),
    },
    { key: "cr", icon: PercentIcon, value: formatPercentValue(totals.cr, language) },
    { key: "payout", icon: WalletIcon, value: formatMoneyMap(totals.payout, language) },
    { key: "epc", icon: CoinsIcon, value: formatEpcMap(totals.epc, language) },
    ...(seesRevenue
      ? [
          { key: "revenue", icon: BadgeDollarSignIcon, value: formatMoneyMap(totals.revenue, language) },
          { key: "profit", icon: PiggyBankIcon, value: formatMoneyMap(totals.profit, language) },
          { key: "roi", icon: TrendingUpIcon, value: formatRoiMap(totals.roi, language) },
        ]
      : []),
  ];
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {cards.map(({ key, icon: Icon, value, hint, raw }) => (
        <Card key={key} className="p-4" data-testid={`kpi-${key}`}>
          <div className="flex items-center justify-between text-muted-foreground">
            <span className="text-sm font-medium">{t(`stats.metrics.${key}`)}</span>
            <Icon className="size-4" />
          </div>
          <div className="mt-2 truncate text-2xl font-semibold tracking-tight tabular-nums" data-testid={`stat-${key}`} data-value={raw} title={value}>
            {value}
          </div>
          {hint ? <div className="mt-0.5 truncate text-xs text-muted-foreground">{hint}</div> : null}
        </Card>
      ))}
    </div>
  );
}
