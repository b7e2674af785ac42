import { ReceiptTextIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { UserText } from "@/components/user-text";
import { ClickLink } from "@/features/clicks/click-link";
import type { Conversion, ConversionQuery } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { useMyConversions } from "@/features/affiliate-conversions/use-my-conversions";
import { useRequiredSession } from "@/features/auth/use-session";
import { ConversionStatusCell } from "@/features/conversions/conversion-badges";
import { ConversionFilters, useConversionFilters } from "@/features/conversions/conversion-filters";
import { formatConversionMoney, goalLabel } from "@/features/conversions/conversion-format";
import { NoContextState } from "@/features/memberships/no-context-state";
import { formatDateTime } from "@/lib/format";

export function MyConversionsPage() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const filters = useConversionFilters();
  return (
    <>
      <PageHeader
        title={t("myConversions.title")}
        description={context.advertiser_name ? t("myConversions.descriptionIn", { advertiser: context.advertiser_name }) : t("myConversions.description")}
      />
      {context.advertiser_id ? (
        <>
          <ConversionFilters {...filters} idPrefix="my-conversions" />
          <MyConversionsTable query={filters.query} filtered={filters.status !== undefined} />
        </>
      ) : (
        <NoContextState description={t("myConversions.noContextText")} />
      )}
    </>
  );
}

function MyConversionsTable({ query, filtered }: { query: ConversionQuery; filtered: boolean }) {
  const { t, i18n } = useTranslation();
  const conversions = useMyConversions(query);
  const language = i18n.language;
  const columns: Column<Conversion>[] = [
    { id: "time", header: t("conversions.columns.time"), cell: (row) => formatDateTime(row.created_at, language), className: "whitespace-nowrap" },
    { id: "offer", header: t("conversions.columns.offer"), cell: (row) => <UserText value={row.offer_name} className="font-medium" /> },
    { id: "goal", header: t("conversions.columns.goal"), cell: (row) => goalLabel(t, row.goal), className: "whitespace-nowrap" },
    {
      id: "status",
      header: t("conversions.columns.status"),
      cell: (row) => <ConversionStatusCell conversion={row} withReason={false} />,
    },
    {
      id: "payout",
      header: t("conversions.columns.payout"),
      cell: (row) => formatConversionMoney(row.payout, row.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    {
      id: "reason",
      header: t("conversions.columns.reason"),
      cell: (row) => (row.status === "rejected" && row.reason ? t(`conversions.reasons.${row.reason}`) : <span className="text-muted-foreground">—</span>),
    },
    { id: "sub1", header: t("conversions.columns.sub1"), cell: (row) => <UserText value={row.sub1} className="font-mono text-xs text-muted-foreground" /> },
    { id: "click", header: t("conversions.columns.click"), cell: (row) => <ClickLink clickId={row.click_id} /> },
  ];
  return (
    <Card>
      <DataTable
        columns={columns}
        rows={conversions.data?.items}
        rowKey={(row) => row.id}
        rowTestId={(row) => `my-conversion-row-${row.id}`}
        isLoading={conversions.isPending}
        error={conversions.error}
        onRetry={() => void conversions.refetch()}
        empty={{
          icon: ReceiptTextIcon,
          title: t(filtered ? "conversions.emptyFilteredTitle" : "myConversions.emptyTitle"),
          description: t(filtered ? "conversions.emptyFilteredText" : "myConversions.emptyText"),
        }}
      />
    </Card>
  );
}
