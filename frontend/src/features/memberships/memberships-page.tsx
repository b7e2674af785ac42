import { useMutation, useQuery } from "@tanstack/react-query";
import { BanIcon, CheckIcon, HandshakeIcon, RotateCcwIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Membership, MembershipStatus } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PersonCell, UserText } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { MembershipStatusBadge } from "@/features/memberships/membership-status-badge";
import { useSwitchContext } from "@/features/memberships/use-switch-context";
import { formatDate } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";
import { StatusTabs } from "@/components/status-tabs";

const STATUSES: MembershipStatus[] = ["pending", "active", "rejected", "blocked"];
type Decision = "active" | "rejected" | "blocked";

function isStatus(value: string | null): value is MembershipStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

export function MembershipsPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  // An affiliate's own enrollments (its advertisers), or the advertiser's affiliates.
  const isAdvertiser = !can("memberships:own");
  const [params] = useSearchParams();
  const raw = params.get("status");
  const status = isStatus(raw) ? raw : undefined;

  const memberships = useQuery({
    queryKey: ["memberships", { status }],
    queryFn: () => unwrap(api.GET("/api/memberships", { params: { query: status ? { status } : {} } })),
  });

  // The other side of the enrollment, its status and date, and what this side may do with it.
  const party: Column<Membership> = isAdvertiser
    ? { id: "affiliate", header: t("memberships.columns.affiliate"), cell: (row) => <PersonCell name={row.affiliate_name} email={row.affiliate_email} /> }
    : { id: "advertiser", header: t("memberships.columns.advertiser"), cell: (row) => <UserText value={row.advertiser_name} className="font-medium" /> };
  const columns: Column<Membership>[] = [
    party,
    {
      id: "status",
      header: t("memberships.columns.status"),
      cell: (row) => (
        <div className="flex flex-wrap items-center gap-1">
          <MembershipStatusBadge status={row.status} />
          {row.suspended ? (
            <Badge variant="destructive" title={row.suspension_reason ?? undefined} data-testid={`membership-suspended-${row.affiliate_id}`}>
              {t("suspension.badge")}
            </Badge>
          ) : null}
        </div>
      ),
    },
    {
      id: "applied",
      header: t("memberships.columns.applied"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      cell: (row) => (isAdvertiser ? <AdvertiserActions membership={row} /> : <AffiliateActions membership={row} />),
      className: "text-right",
    },
  ];

  return (
    <>
      <PageHeader
        title={t(isAdvertiser ? "memberships.advertiserTitle" : "memberships.affiliateTitle")}
        description={t(isAdvertiser ? "memberships.advertiserDescription" : "memberships.affiliateDescription")}
      />
      <StatusTabs statuses={STATUSES} value={status} label={(value) => t(`memberships.filter.${value}`)} testIdPrefix="memberships-filter" />
      <Card>
        <DataTable
          columns={columns}
          rows={memberships.data?.items}
          rowKey={(row) => `${row.advertiser_id}:${row.affiliate_id}`}
          rowTestId={(row) => `membership-row-${isAdvertiser ? row.affiliate_id : row.advertiser_id}`}
          isLoading={memberships.isPending}
          error={memberships.error}
          onRetry={() => void memberships.refetch()}
          empty={{
            icon: HandshakeIcon,
            title: t(isAdvertiser ? "memberships.emptyAdvertiserTitle" : "memberships.emptyAffiliateTitle"),
            description: t(isAdvertiser ? "memberships.emptyAdvertiserText" : "memberships.emptyAffiliateText"),
          }}
        />
      </Card>
    </>
  );
}

function AdvertiserActions({ membership }: { membership: Membership }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const decide = useMutation({
    mutationFn: (status: Decision) =>
      unwrap(api.PATCH("/api/memberships/{affiliate_id}", { params: { path: { affiliate_id: membership.affiliate_id } }, body: { status } })),
    onSuccess: (updated) => {
      toast.success(t(`memberships.toast.${updated.status}`, { name: updated.affiliate_name }));
      void queryClient.invalidateQueries({ queryKey: ["memberships"] });
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const id = membership.affiliate_id;
  const busy = decide.isPending;
  const approve = (
    <Button size="sm" disabled={busy} onClick={() => decide.mutate("active")} data-testid={`membership-approve-${id}`}>
      <CheckIcon /> {t("memberships.actions.approve")}
    </Button>
  );
  return (
    <div className="flex justify-end gap-2">
      {membership.status === "pending" ? (
        <>
          {approve}
          <Button size="sm" variant="outline" disabled={busy} onClick={() => decide.mutate("rejected")} data-testid={`membership-reject-${id}`}>
            <XIcon /> {t("memberships.actions.reject")}
          </Button>
        </>
      ) : null}
      {membership.status === "active" ? (
        <Button size="sm" variant="outline" disabled={busy} onClick={() => decide.mutate("blocked")} data-testid={`membership-block-${id}`}>
          <BanIcon /> {t("memberships.actions.block")}
        </Button>
      ) : null}
      {membership.status === "rejected" ? approve : null}
      {membership.status === "blocked" ? (
        <Button size="sm" variant="outline" disabled={busy} onClick={() => decide.mutate("active")} data-testid={`membership-unblock-${id}`}>
          <RotateCcwIcon /> {t("memberships.actions.unblock")}
        </Button>
      ) : null}
    </div>
  );
}

function AffiliateActions({ membership }: { membership: Membership }) {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const switchContext = useSwitchContext();
  if (membership.status !== "active") return null;
  if (context.advertiser_id === membership.advertiser_id) {
    return <span className="text-xs text-muted-foreground">{t("memberships.current")}</span>;
  }
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={switchContext.isPending}
      onClick={() => switchContext.mutate(membership.advertiser_id)}
      data-testid={`membership-switch-${membership.advertiser_id}`}
    >
      {t("memberships.actions.switch")}
    </Button>
  );
}
