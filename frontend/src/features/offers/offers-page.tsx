import { BadgePercentIcon, BuildingIcon, EyeIcon, PencilIcon, PlusIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import type { Offer, OfferStatus } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { OfferStatusBadge } from "@/features/offers/offer-badges";
import { CLICK_GOAL, modelKey } from "@/features/offers/cpc";
import { formatAmount } from "@/features/offers/payout";
import { useOffers } from "@/features/offers/use-offers";
import { StatusTabs } from "@/components/status-tabs";

const STATUSES: OfferStatus[] = ["active", "paused", "archived"];

function isStatus(value: string | null): value is OfferStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

export function OffersPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const raw = params.get("status");
  const status = isStatus(raw) ? raw : undefined;
  // Platform staff pick the advertiser whose offers they look at; support reads them and changes nothing.
  const workspace = useWorkspaceAdvertiser();
  const offers = useOffers(status, workspace.query, workspace.chosen);

  const columns: Column<Offer>[] = [
    {
      id: "name",
      header: t("offers.columns.name"),
      cell: (row) => (
        <div className="min-w-0 max-w-sm">
          <Link to={`/offers/${row.id}${workspace.search}`} className="font-medium hover:underline" data-testid={`offer-open-${row.id}`}>
            <UserText value={row.name} />
          </Link>
          {row.description ? <UserText value={row.description} className="block truncate text-xs text-muted-foreground" /> : null}
        </div>
      ),
    },
    { id: "model", header: t("offers.columns.model"), cell: (row) => <Badge variant="outline">{t(modelKey(row.model))}</Badge> },
    { id: "status", header: t("offers.columns.status"), cell: (row) => <OfferStatusBadge status={row.status} /> },
    {
      id: "payout",
      header: t("offers.columns.payout"),
      cell: (row) => (
        <ul className="space-y-0.5 text-sm">
          {row.goals.map((goal) => (
            <li key={goal.key} className="whitespace-nowrap">
              <span className="text-muted-foreground">
                <UserText value={goal.name} />:
              </span>{" "}
              <span className="font-medium tabular-nums">{formatAmount(goal.payout_type, goal.payout, row.currency, i18n.language)}</span>
              {goal.key === CLICK_GOAL ? <span className="ml-1 text-xs text-muted-foreground">{t("cpc.perClick")}</span> : null}
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: "visibility",
      header: t("offers.columns.visibility"),
      cell: (row) => t(`offers.visibility.${row.visibility}`),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) => (
        <Button asChild size="sm" variant="ghost">
          <Link to={`/offers/${row.id}${workspace.search}`} data-testid={`offer-edit-${row.id}`}>
            {workspace.manages ? <PencilIcon /> : <EyeIcon />} {t(workspace.manages ? "offers.edit" : "support.workspace.open")}
          </Link>
        </Button>
      ),
    },
  ];

  const createButton =
    workspace.manages && workspace.chosen ? (
      <Button asChild>
        <Link to={`/offers/new${workspace.search}`} data-testid="offers-create">
          <PlusIcon /> {t("offers.create")}
        </Link>
      </Button>
    ) : undefined;

  return (
    <>
      <PageHeader
        title={t("offers.title")}
        description={t("offers.description")}
        actions={
          <>
            {workspace.staff ? <AdvertiserPicker value={workspace.advertiserId} onChange={workspace.pick} testId="offers-advertiser" /> : null}
            {createButton}
          </>
        }
      />
      <StatusTabs statuses={STATUSES} value={status} label={(value) => t(`offers.status.${value}`)} testIdPrefix="offers-filter" />
      {workspace.chosen ? (
        <Card>
          <DataTable
            columns={columns}
            rows={offers.data?.items}
            rowKey={(row) => row.id}
            rowTestId={(row) => `offer-row-${row.id}`}
            isLoading={offers.isPending}
            error={offers.error}
            onRetry={() => void offers.refetch()}
            empty={{
              icon: BadgePercentIcon,
              title: t(status ? "offers.emptyFilteredTitle" : "offers.emptyTitle"),
              description: t(status ? "offers.emptyFilteredText" : "offers.emptyText"),
              action: status ? undefined : createButton,
            }}
          />
        </Card>
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}
