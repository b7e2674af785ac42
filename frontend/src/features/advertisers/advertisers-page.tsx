import { BuildingIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Advertiser } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { UserText } from "@/components/user-text";
import { useAdvertisers } from "@/features/advertisers/use-advertisers";
import { formatDate } from "@/lib/format";

export function AdvertisersPage() {
  const { t, i18n } = useTranslation();
  const advertisers = useAdvertisers();
  const columns: Column<Advertiser>[] = [
    { id: "name", header: t("advertisers.columns.name"), cell: (row) => <UserText value={row.name} className="font-medium" /> },
    { id: "id", header: t("advertisers.columns.id"), cell: (row) => <code className="font-mono text-xs text-muted-foreground">{row.id}</code> },
    {
      id: "status",
      header: t("advertisers.columns.status"),
      cell: (row) => (
        <Badge variant={row.status === "active" ? "success" : "neutral"}>{t(`advertisers.status.${row.status}`, { defaultValue: row.status })}</Badge>
      ),
    },
    {
      id: "created",
      header: t("advertisers.columns.created"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
  ];
  return (
    <>
      <PageHeader title={t("advertisers.title")} description={t("advertisers.description")} />
      <Card>
        <DataTable
          columns={columns}
          rows={advertisers.data?.items}
          rowKey={(row) => row.id}
          isLoading={advertisers.isPending}
          error={advertisers.error}
          onRetry={() => void advertisers.refetch()}
          empty={{ icon: BuildingIcon, title: t("advertisers.emptyTitle"), description: t("advertisers.emptyText") }}
        />
      </Card>
    </>
  );
}
