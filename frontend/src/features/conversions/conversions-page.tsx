import type { UseQueryResult } from "@tanstack/react-query";
import { BuildingIcon, CheckIcon, ReceiptTextIcon, type LucideIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { UserText } from "@/components/user-text";
import { ClickLink } from "@/features/clicks/click-link";
import { toast } from "sonner";
import type { Conversion, ConversionList, ConversionQuery } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Spinner } from "@/components/ui/spinner";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { ConversionStatusCell, ReviewBadge } from "@/features/conversions/conversion-badges";
import { ConversionFilters, useConversionFilters } from "@/features/conversions/conversion-filters";
import { formatConversionMoney, goalLabel } from "@/features/conversions/conversion-format";
import { RejectDialog } from "@/features/conversions/reject-dialog";
import { UploadCsvDialog } from "@/features/conversions/upload-csv-dialog";
import { useConversions, useDecideConversions } from "@/features/conversions/use-conversions";
import { useDecisionToast } from "@/features/conversions/use-decision-toast";
import { formatDateTime } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** Pending and held conversions may be approved or rejected, approved ones reversed; rejected ones stay. */
const isDecidable = (conversion: Conversion) => conversion.status !== "rejected";
const isApprovable = (conversion: Conversion) => conversion.status === "pending" || conversion.status === "hold";

export function ConversionsPage() {
  const { t } = useTranslation();
  const filters = useConversionFilters();
  // Platform staff pick the advertiser; support reads its conversions and decides none.
  const workspace = useWorkspaceAdvertiser();
  const query: ConversionQuery = { ...filters.query, ...workspace.query };
  return (
    <>
      <PageHeader
        title={t("conversions.title")}
        description={t("conversions.description")}
        actions={
          <>
            {workspace.staff ? <AdvertiserPicker value={workspace.advertiserId} onChange={workspace.pick} testId="conversions-advertiser" /> : null}
            {workspace.manages && workspace.chosen ? <UploadCsvDialog /> : null}
          </>
        }
      />
      <ConversionFilters {...filters} idPrefix="conversions" />
      {/* A new filter starts with nothing selected. */}
      {workspace.chosen ? (
        <ListedConversions key={JSON.stringify(query)} query={query} filtered={filters.status !== undefined} decides={workspace.manages} />
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}

function ListedConversions({ query, filtered, decides }: { query: ConversionQuery; filtered: boolean; decides: boolean }) {
  const { t } = useTranslation();
  const conversions = useConversions(query);
  return (
    <ConversionsTable
      conversions={conversions}
      decides={decides}
      empty={{
        icon: ReceiptTextIcon,
        title: t(filtered ? "conversions.emptyFilteredTitle" : "conversions.emptyTitle"),
        description: t(filtered ? "conversions.emptyFilteredText" : "conversions.emptyText"),
      }}
    />
  );
}

type ConversionsTableProps = {
  conversions: UseQueryResult<ConversionList>;
  empty: { icon: LucideIcon; title: string; description: string };
  /** The advertiser platform staff picked, whose conversions these are. */
  advertiserId?: string;
  /** Whoever may decide them gets row selection and the bulk actions; the others (support) only read. */
  decides: boolean;
};

/** Conversions with row selection and bulk approve / reject (the list, and the review queue). */
export function ConversionsTable({ conversions, empty, advertiserId, decides }: ConversionsTableProps) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const toastOutcome = useDecisionToast();
  const decide = useDecideConversions(advertiserId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const rows = conversions.data?.items;
  const decidable = rows?.filter(isDecidable) ?? [];
  const chosen = decidable.filter((conversion) => selected.has(conversion.id));
  const approvable = chosen.filter(isApprovable);
  const clear = () => setSelected(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const approve = () =>
    decide.mutate(
      { status: "approved", ids: approvable.map((conversion) => conversion.id) },
      {
        onSuccess: (outcome) => {
          toastOutcome("approved", outcome);
          clear();
        },
        onError: (error) => toast.error(errorMessage(error)),
      },
    );

  const allChosen = decidable.length > 0 && chosen.length === decidable.length;
  const language = i18n.language;
  const selection: Column<Conversion>[] = [
    {
      id: "select",
      className: "w-10 pr-0",
      header: (
        <Checkbox
          checked={allChosen ? true : chosen.length > 0 ? "indeterminate" : false}
          disabled={decidable.length === 0}
          onCheckedChange={(checked) => setSelected(checked === true ? new Set(decidable.map((conversion) => conversion.id)) : new Set())}
          aria-label={t("conversions.selectAll")}
          data-testid="conversions-select-all"
        />
      ),
      cell: (row) => (
        <Checkbox
          checked={selected.has(row.id)}
          disabled={!isDecidable(row)}
          onCheckedChange={(checked) => toggle(row.id, checked === true)}
          aria-label={t("conversions.selectRow", { txn: row.txn_id ?? row.id })}
          data-testid={`conversion-select-${row.id}`}
        />
      ),
    },
  ];
  const columns: Column<Conversion>[] = [
    ...(decides ? selection : []),
    { id: "time", header: t("conversions.columns.time"), cell: (row) => formatDateTime(row.created_at, language), className: "whitespace-nowrap" },
    {
      id: "offer",
      header: t("conversions.columns.offer"),
      cell: (row) => <UserText value={row.offer_name} className="font-medium" />,
      className: "whitespace-nowrap",
    },
    { id: "affiliate", header: t("conversions.columns.affiliate"), cell: (row) => <UserText value={row.affiliate_name} />, className: "whitespace-nowrap" },
    { id: "goal", header: t("conversions.columns.goal"), cell: (row) => goalLabel(t, row.goal), className: "whitespace-nowrap" },
    {
      id: "status",
      header: t("conversions.columns.status"),
      cell: (row) => <ConversionStatusCell conversion={row} withReason />,
    },
    {
      id: "review",
      header: <span className="sr-only">{t("conversions.columns.review")}</span>,
      cell: (row) => (row.review ? <ReviewBadge testId={`conversion-review-${row.id}`} conversion={row} /> : null),
    },
    {
      id: "payout",
      header: t("conversions.columns.payout"),
      cell: (row) => formatConversionMoney(row.payout, row.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    {
      id: "revenue",
      header: t("conversions.columns.revenue"),
      cell: (row) => formatConversionMoney(row.revenue, row.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    {
      id: "amount",
      header: t("conversions.columns.amount"),
      cell: (row) => formatConversionMoney(row.amount, row.currency, language),
      className: "text-right tabular-nums whitespace-nowrap text-muted-foreground",
    },
    { id: "txn", header: t("conversions.columns.txnId"), cell: (row) => <UserText value={row.txn_id} className="font-mono text-xs text-muted-foreground" /> },
    { id: "country", header: t("conversions.columns.country"), cell: (row) => <span className="font-mono text-xs">{row.country}</span> },
    { id: "click", header: t("conversions.columns.click"), cell: (row) => <ClickLink clickId={row.click_id} /> },
  ];

  return (
    <Card>
      {decides && rows && rows.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2 border-b px-4 py-2.5" data-testid="conversions-bulk">
          <span className="mr-auto text-sm text-muted-foreground" data-testid="conversions-selected">
            {chosen.length > 0 ? t("conversions.selected", { count: chosen.length }) : t("conversions.selectHint")}
          </span>
          {chosen.length > 0 ? (
            <Button size="sm" variant="ghost" onClick={clear} data-testid="conversions-clear">
              {t("conversions.clearSelection")}
            </Button>
          ) : null}
          <Button size="sm" disabled={approvable.length === 0 || decide.isPending} onClick={approve} data-testid="conversions-approve">
            {decide.isPending ? <Spinner /> : <CheckIcon />}
            {t("conversions.approve")}
            {approvable.length > 0 ? <span className="tabular-nums">({approvable.length})</span> : null}
          </Button>
          <RejectDialog conversions={chosen} onDecided={clear} advertiserId={advertiserId} />
        </div>
      ) : null}
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        rowTestId={(row) => `conversion-row-${row.id}`}
        isLoading={conversions.isPending}
        error={conversions.error}
        onRetry={() => void conversions.refetch()}
        empty={empty}
      />
    </Card>
  );
}
