import { BanIcon, BuildingIcon, RotateCcwIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Advertiser } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { UserText } from "@/components/user-text";
import { useAdvertisers } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { SuspensionDialog } from "@/features/suspension/suspension-dialog";
import { formatDate } from "@/lib/format";

export function AdvertisersPage() {
  const { t, i18n } = useTranslation();
  const advertisers = useAdvertisers();
  const can = useCan();
  const columns: Column<Advertiser>[] = [
    { id: "name", header: t("advertisers.columns.name"), cell: (row) => <UserText value={row.name} className="font-medium" /> },
    { id: "id", header: t("advertisers.columns.id"), cell: (row) => <code className="font-mono text-xs text-muted-foreground">{row.id}</code> },
    {
      id: "status",
      header: t("advertisers.columns.status"),
      cell: (row) => (
        <div className="space-y-1">
          <Badge variant={row.status === "active" ? "success" : "destructive"} data-testid={`advertiser-status-${row.id}`}>
            {t(`advertisers.status.${row.status}`, { defaultValue: row.status })}
          </Badge>
          {row.suspension_reason ? <UserText value={row.suspension_reason} className="block max-w-xs truncate text-xs text-muted-foreground" /> : null}
        </div>
      ),
    },
    {
      id: "created",
      header: t("advertisers.columns.created"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
  ];
  if (can("accounts:suspend")) {
    columns.push({
      id: "suspension",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) => <AdvertiserSuspension advertiser={row} />,
    });
  }
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

function AdvertiserSuspension({ advertiser }: { advertiser: Advertiser }) {
  const { t } = useTranslation();
  const suspend = advertiser.status === "active";
  const action = suspend ? "suspend" : "reactivate";
  return (
    <SuspensionDialog
      target={{ kind: "advertiser", advertiserId: advertiser.id }}
      suspend={suspend}
      name={advertiser.name}
      trigger={
        <Button size="sm" variant={suspend ? "outline" : "default"} data-testid={`advertiser-${action}-${advertiser.id}`}>
          {suspend ? <BanIcon /> : <RotateCcwIcon />} {t(`suspension.actions.${action}`)}
        </Button>
      }
    />
  );
}
