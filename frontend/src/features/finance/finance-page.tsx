import { AlertTriangleIcon, HandCoinsIcon, PiggyBankIcon, ReceiptTextIcon, UsersIcon, WalletIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AffiliateBalance, OfferSpend, Payout, Topup } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useRequiredSession } from "@/features/auth/use-session";
import { isPositiveAmount } from "@/features/finance/amounts";
import { useFinanceAccess } from "@/features/finance/finance-access";
import { SignedMoney, TitledHeader, type QueryState } from "@/features/finance/finance-parts";
import { InvoicesCard } from "@/features/finance/invoices-card";
import { FinanceOverviewCard } from "@/features/finance/overview-table";
import { methodLabel, PayAllDialog, PayDialog } from "@/features/finance/pay-dialogs";
import { AdvertiserPayoutRequests, AffiliatePayoutRequests, PayoutRequestDialog } from "@/features/finance/payout-requests";
import { FinanceSettingsCard } from "@/features/finance/settings-card";
import { RecordTopupDialog } from "@/features/finance/topup-dialog";
import { TopupRequestsCard } from "@/features/finance/topup-requests";
import { useBalances, usePayouts, useTopups, type Books } from "@/features/finance/use-finance";
import { NoContextState } from "@/features/memberships/no-context-state";
import { formatPercentValue } from "@/features/stats/stats-format";
import { formatDateTime } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

/** Balances, payouts and top-ups: an affiliate sees what it is owed and was paid, the advertiser its whole books. */
export function FinancePage() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const access = useFinanceAccess();
  const affiliate = access.ownBalances;
  const staff = access.everyAdvertiser;
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const books: Books = { advertiserId, cacheScope: affiliate ? (context.advertiser_id ?? null) : null };

  return (
    <>
      <PageHeader
        title={t("finance.title")}
        description={
          affiliate && context.advertiser_name
            ? t("finance.descriptionIn", { advertiser: context.advertiser_name })
            : t(affiliate ? "finance.affiliateDescription" : "finance.description")
        }
        // "All advertisers" is the overview of every advertiser's books.
        actions={staff ? <AdvertiserPicker value={advertiserId} onChange={pick} allowAll testId="finance-advertiser" /> : null}
      />
      {affiliate && !context.advertiser_id ? (
        <NoContextState description={t("finance.noContextText")} />
      ) : staff && !advertiserId ? (
        <FinanceOverviewCard onPick={pick} />
      ) : affiliate ? (
        <AffiliateFinance books={books} requestsPayout={access.requestsPayout} />
      ) : (
        <AdvertiserFinance
          books={books}
          manages={access.manages}
          recordsTopups={access.recordsTopups && advertiserId !== undefined}
          submitsTopups={access.submitsTopups}
        />
      )}
    </>
  );
}

function AffiliateFinance({ books, requestsPayout }: { books: Books; requestsPayout: boolean }) {
  const { t, i18n } = useTranslation();
  const balances = useBalances(books);
  const payouts = usePayouts(books);
  const money = (amount: string, currency: string) => formatDecimalMoney(amount, currency, i18n.language);
  return (
    <>
      <BalanceCards
        query={balances}
        rows={balances.data?.affiliates}
        emptyText={t("finance.affiliateEmpty")}
        card={(row: AffiliateBalance) => (
          <BalanceCard key={row.currency} currency={row.currency} footer={requestsPayout ? <PayoutRequestDialog row={row} /> : null}>
            <Figure label={t("finance.hold")} value={money(row.hold, row.currency)} hint={t("finance.holdHint")} testId="hold" />
            <Figure label={t("finance.approved")} value={money(row.approved, row.currency)} hint={t("finance.approvedHint")} testId="approved" />
            <Figure label={t("finance.paid")} value={money(row.paid, row.currency)} hint={t("finance.paidHint")} testId="paid" />
          </BalanceCard>
        )}
      />
      <AffiliatePayoutRequests books={books} />
      <PayoutHistory query={payouts} affiliateName={null} />
    </>
  );
}

type AdvertiserFinanceProps = { books: Books; manages: boolean; recordsTopups: boolean; submitsTopups: boolean };

function AdvertiserFinance({ books, manages, recordsTopups, submitsTopups }: AdvertiserFinanceProps) {
  const { t, i18n } = useTranslation();
  const balances = useBalances(books);
  const payouts = usePayouts(books);
  const money = (amount: string, currency: string) => formatDecimalMoney(amount, currency, i18n.language);
  const affiliates = balances.data?.affiliates;
  const names = new Map((affiliates ?? []).map((row) => [row.affiliate_id, row.affiliate_name]));
  const currencies = [...new Set([...(balances.data?.advertiser ?? []).map((row) => row.currency), ...(affiliates ?? []).map((row) => row.currency)])].sort();

  const affiliateColumns: Column<AffiliateBalance>[] = [
    { id: "affiliate", header: t("finance.columns.affiliate"), cell: (row) => <UserText value={row.affiliate_name} className="font-medium" /> },
    { id: "currency", header: t("finance.currency"), cell: (row) => row.currency },
    { id: "hold", header: t("finance.hold"), cell: (row) => money(row.hold, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    { id: "approved", header: t("finance.approved"), cell: (row) => money(row.approved, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    { id: "paid", header: t("finance.paid"), cell: (row) => money(row.paid, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    ...(manages
      ? [
          {
            id: "pay",
            header: <span className="sr-only">{t("finance.pay.button")}</span>,
            cell: (row: AffiliateBalance) => (isPositiveAmount(row.approved, row.currency) ? <PayDialog books={books} row={row} /> : null),
            className: "text-right",
          },
        ]
      : []),
  ];
  const offerColumns: Column<OfferSpend>[] = [
    { id: "offer", header: t("finance.columns.offer"), cell: (row) => <UserText value={row.offer_name} className="font-medium" /> },
    { id: "currency", header: t("finance.currency"), cell: (row) => row.currency },
    { id: "pending", header: t("finance.pending"), cell: (row) => money(row.pending, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    { id: "spend", header: t("finance.spend"), cell: (row) => money(row.spend, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    { id: "revenue", header: t("finance.revenue"), cell: (row) => money(row.revenue, row.currency), className: "text-right tabular-nums whitespace-nowrap" },
    {
      id: "profit",
      header: t("finance.profit"),
      cell: (row) => <SignedMoney amount={row.profit} currency={row.currency} />,
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "roi", header: t("finance.roi"), cell: (row) => formatPercentValue(row.roi, i18n.language), className: "text-right tabular-nums whitespace-nowrap" },
  ];

  return (
    <>
      <BalanceCards
        query={balances}
        rows={balances.data ? (balances.data.advertiser ?? []) : undefined}
        emptyText={t("finance.advertiserEmpty")}
        card={(row) => (
          <BalanceCard
            key={row.currency}
            currency={row.currency}
            badge={
              row.low_balance ? (
                <Badge variant="warning" data-testid="low-balance">
                  <AlertTriangleIcon /> {t("finance.lowBalance")}
                </Badge>
              ) : null
            }
          >
            <Figure label={t("finance.balance")} value={money(row.balance, row.currency)} hint={t("finance.balanceHint")} testId="balance" strong />
            <Figure label={t("finance.deposits")} value={money(row.deposits, row.currency)} testId="deposits" />
            <Figure label={t("finance.spend")} value={money(row.spend, row.currency)} testId="spend" />
            <Figure label={t("finance.pending")} value={money(row.pending, row.currency)} hint={t("finance.pendingHint")} testId="pending" />
            <Figure label={t("finance.revenue")} value={money(row.revenue, row.currency)} hint={t("finance.revenueHint")} testId="revenue" separated />
            <Figure
              label={t("finance.profit")}
              value={<SignedMoney amount={row.profit} currency={row.currency} />}
              hint={t("finance.profitHint")}
              testId="profit"
            />
            <Figure label={t("finance.roi")} value={formatPercentValue(row.roi, i18n.language)} hint={t("finance.roiHint")} testId="roi" />
          </BalanceCard>
        )}
      />
      <AdvertiserPayoutRequests books={books} balances={affiliates} manages={manages} />
      <Card data-testid="finance-affiliates">
        <TitledHeader title={t("finance.affiliatesTitle")} description={t("finance.affiliatesText")}>
          {manages && affiliates ? <PayAllDialog books={books} rows={affiliates} /> : null}
        </TitledHeader>
        <DataTable
          columns={affiliateColumns}
          rows={affiliates}
          rowKey={(row) => `${row.affiliate_id}:${row.currency}`}
          rowTestId={() => "finance-affiliate-row"}
          rowAttributes={(row) => ({ "data-affiliate": row.affiliate_id, "data-currency": row.currency })}
          isLoading={balances.isPending}
          error={balances.error}
          onRetry={() => void balances.refetch()}
          empty={{ icon: UsersIcon, title: t("finance.affiliatesEmptyTitle"), description: t("finance.affiliatesEmptyText") }}
        />
      </Card>
      <Card data-testid="finance-offers">
        <TitledHeader title={t("finance.offersTitle")} description={t("finance.offersText")} />
        <DataTable
          columns={offerColumns}
          rows={balances.data ? (balances.data.offers ?? []) : undefined}
          rowKey={(row) => `${row.offer_id}:${row.currency}`}
          rowTestId={() => "finance-offer-row"}
          isLoading={balances.isPending}
          error={balances.error}
          onRetry={() => void balances.refetch()}
          empty={{ icon: ReceiptTextIcon, title: t("finance.offersEmptyTitle"), description: t("finance.offersEmptyText") }}
        />
      </Card>
      <InvoicesCard books={books} />
      <PayoutHistory query={payouts} affiliateName={(id) => names.get(id) ?? id} />
      <TopupRequestsCard books={books} decides={recordsTopups} submits={submitsTopups} currency={currencies[0] ?? "USD"} />
      <Topups books={books} recordsTopups={recordsTopups} currency={currencies[0] ?? "USD"} />
      <FinanceSettingsCard books={books} currencies={currencies} editable={manages} />
    </>
  );
}

/** One card per currency; skeletons while loading, the error or a note when there is nothing yet. */
function BalanceCards<Row>({ query, rows, emptyText, card }: { query: QueryState; rows: Row[] | undefined; emptyText: string; card: (row: Row) => ReactNode }) {
  const { t } = useTranslation();
  if (query.error) {
    return (
      <Card>
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Card>
    );
  }
  if (query.isPending || !rows) {
    return (
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        <Skeleton className="h-40 rounded-xl" />
      </div>
    );
  }
  if (rows.length === 0) {
    return (
      <Card data-testid="finance-balances-empty">
        <EmptyState icon={WalletIcon} title={t("finance.noBalanceTitle")} description={emptyText} />
      </Card>
    );
  }
  return <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">{rows.map(card)}</div>;
}

function BalanceCard({ currency, badge, footer, children }: { currency: string; badge?: ReactNode; footer?: ReactNode; children: ReactNode }) {
  return (
    <Card className="flex flex-col gap-3 p-4" data-testid={`finance-balance-${currency}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="flex items-center gap-2 text-sm font-semibold">
          <PiggyBankIcon className="size-4 text-muted-foreground" /> {currency}
        </span>
        {badge}
      </div>
      <dl className="space-y-2.5">{children}</dl>
      {footer ? <div className="mt-auto pt-1">{footer}</div> : null}
    </Card>
  );
}

type FigureProps = {
  label: string;
  value: ReactNode;
  hint?: string;
  testId: string;
  strong?: boolean;
  /** Starts a new group of figures. */ separated?: boolean;
};

function Figure({ label, value, hint, testId, strong = false, separated = false }: FigureProps) {
  return (
    <div className={separated ? "border-t pt-2.5" : undefined}>
      <div className="flex items-baseline justify-between gap-3">
        <dt className="text-sm text-muted-foreground">{label}</dt>
        <dd className={strong ? "text-lg font-semibold tabular-nums" : "font-medium tabular-nums"} data-testid={testId}>
          {value}
        </dd>
      </div>
      {hint ? <p className="text-xs text-muted-foreground">{hint}</p> : null}
    </div>
  );
}

type PayoutsQuery = QueryState & { data?: { items: Payout[] } | undefined };

/** Payouts, newest first; the affiliate column only where several affiliates are paid. */
function PayoutHistory({ query, affiliateName }: { query: PayoutsQuery; affiliateName: ((id: string) => string) | null }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const columns: Column<Payout>[] = [
    { id: "created", header: t("finance.columns.date"), cell: (payout) => formatDateTime(payout.created_at, language), className: "whitespace-nowrap" },
    ...(affiliateName
      ? [
          {
            id: "affiliate",
            header: t("finance.columns.affiliate"),
            cell: (payout: Payout) => <span className="font-medium">{affiliateName(payout.affiliate_id)}</span>,
          },
        ]
      : []),
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (payout) => formatDecimalMoney(payout.amount, payout.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "method", header: t("finance.pay.method"), cell: (payout) => methodLabel(t, payout.method) },
    { id: "reference", header: t("finance.pay.reference"), cell: (payout) => <UserText value={payout.reference} />, className: "max-w-64 truncate" },
  ];
  return (
    <Card data-testid="payout-history">
      <TitledHeader title={t("finance.payoutsTitle")} description={t(affiliateName ? "finance.payoutsText" : "finance.payoutsAffiliateText")} />
      <DataTable
        columns={columns}
        rows={query.data?.items}
        rowKey={(payout) => payout.id}
        rowTestId={() => "payout-row"}
        rowAttributes={(payout) => ({ "data-id": payout.id, "data-affiliate": payout.affiliate_id, "data-currency": payout.currency })}
        isLoading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={{ icon: HandCoinsIcon, title: t("finance.payoutsEmptyTitle"), description: t("finance.payoutsEmptyText") }}
      />
    </Card>
  );
}

function Topups({ books, recordsTopups, currency }: { books: Books; recordsTopups: boolean; currency: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const topups = useTopups(books);
  const columns: Column<Topup>[] = [
    { id: "created", header: t("finance.columns.date"), cell: (topup) => formatDateTime(topup.created_at, language), className: "whitespace-nowrap" },
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (topup) => formatDecimalMoney(topup.amount, topup.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "reference", header: t("finance.topup.reference"), cell: (topup) => <UserText value={topup.reference} />, className: "max-w-64 truncate" },
  ];
  return (
    <Card data-testid="topups">
      <TitledHeader title={t("finance.topupsTitle")} description={t("finance.topupsText")}>
        {recordsTopups && books.advertiserId ? <RecordTopupDialog advertiserId={books.advertiserId} currency={currency} /> : null}
      </TitledHeader>
      <DataTable
        columns={columns}
        rows={topups.data?.items}
        rowKey={(topup) => topup.id}
        rowTestId={() => "topup-row"}
        rowAttributes={(topup) => ({ "data-id": topup.id, "data-currency": topup.currency })}
        isLoading={topups.isPending}
        error={topups.error}
        onRetry={() => void topups.refetch()}
        empty={{ icon: WalletIcon, title: t("finance.topupsEmptyTitle"), description: t("finance.topupsEmptyText") }}
      />
    </Card>
  );
}
