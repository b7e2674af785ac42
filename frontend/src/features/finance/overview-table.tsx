import { AlertTriangleIcon, BuildingIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { FinanceOverviewRow } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { UserText } from "@/components/user-text";
import { SignedMoney, TitledHeader } from "@/features/finance/finance-parts";
import { useFinanceOverview } from "@/features/finance/use-finance";
import { formatPercentValue } from "@/features/stats/stats-format";
import { formatDecimalMoney } from "@/lib/money";

const NUMBER = "text-right tabular-nums whitespace-nowrap";

/** Platform staff's view before picking an advertiser: every advertiser's books per currency; a name picks it. */
export function FinanceOverviewCard({ onPick }: { onPick: (advertiserId: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const overview = useFinanceOverview();
  const money = (amount: string, currency: string) => formatDecimalMoney(amount, currency, language);
  const columns: Column<FinanceOverviewRow>[] = [
    {
      id: "advertiser",
      header: t("advertisers.advertiser"),
      cell: (row) => (
        <Button variant="link" className="h-auto p-0 font-medium" onClick={() => onPick(row.advertiser_id)} data-testid="overview-pick">
          <UserText value={row.advertiser_name} />
        </Button>
      ),
    },
    { id: "currency", header: t("finance.currency"), cell: (row) => row.currency },
    {
      id: "balance",
      header: t("finance.balance"),
      cell: (row) => (
        <span className="inline-flex flex-col items-end gap-1">
          <SignedMoney amount={row.balance} currency={row.currency} className="font-medium" />
          {row.low_balance ? (
            <Badge variant="warning" data-testid="low-balance">
              <AlertTriangleIcon /> {t("finance.lowBalance")}
            </Badge>
          ) : null}
        </span>
      ),
      className: NUMBER,
    },
    { id: "deposits", header: t("finance.deposits"), cell: (row) => money(row.deposits, row.currency), className: NUMBER },
    { id: "spend", header: t("finance.spend"), cell: (row) => money(row.spend, row.currency), className: NUMBER },
    { id: "revenue", header: t("finance.revenue"), cell: (row) => money(row.revenue, row.currency), className: NUMBER },
    { id: "profit", header: t("finance.profit"), cell: (row) => <SignedMoney amount={row.profit} currency={row.currency} />, className: NUMBER },
    { id: "roi", header: t("finance.roi"), cell: (row) => formatPercentValue(row.roi, language), className: NUMBER },
    { id: "approved", header: t("finance.overview.owed"), cell: (row) => money(row.approved, row.currency), className: NUMBER },
    { id: "hold", header: t("finance.hold"), cell: (row) => money(row.hold, row.currency), className: NUMBER },
    { id: "paid", header: t("finance.paid"), cell: (row) => money(row.paid, row.currency), className: NUMBER },
    {
      id: "topups",
      header: t("finance.overview.openTopups"),
      cell: (row) =>
        row.open_topups > 0 ? (
          <Badge variant="warning" data-testid="overview-open-topups">
            {t("finance.overview.openTopupsBadge", { count: row.open_topups })}
          </Badge>
        ) : (
          <span className="text-muted-foreground">—</span>
        ),
      className: "text-right",
    },
  ];
  return (
    <Card>
      <TitledHeader title={t("finance.overview.title")} description={t("finance.overview.text")} />
      <div data-testid="finance-overview">
        <DataTable
          columns={columns}
          rows={overview.data?.items}
          rowKey={(row) => `${row.advertiser_id}:${row.currency}`}
          rowTestId={() => "overview-row"}
          rowAttributes={(row) => ({ "data-advertiser": row.advertiser_id, "data-currency": row.currency })}
          isLoading={overview.isPending}
          error={overview.error}
          onRetry={() => void overview.refetch()}
          empty={{ icon: BuildingIcon, title: t("finance.overview.emptyTitle"), description: t("finance.overview.emptyText") }}
        />
      </div>
    </Card>
  );
}
