import { CalendarClockIcon, HandshakeIcon, ReceiptTextIcon, TrendingUpIcon, UsersIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { BillingOverview, StaffInvoice, StaffSubscription, TrialEnding } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { daysUntil } from "@/features/billing/banner";
import { SubscriptionStateBadge } from "@/features/billing/billing-parts";
import { MarkPaidDialog } from "@/features/billing/mark-paid-dialog";
import { churnPercent, daysOverdue, subscriptionsByPlan, type PlanStates } from "@/features/billing/overview";
import { SUBSCRIPTION_STATES } from "@/features/billing/plan-words";
import { TermsDialog } from "@/features/billing/terms-dialog";
import { useAdminPlans, useBillingOverview, useStaffSubscriptions } from "@/features/billing/use-billing";
import { formatInvoicePeriod } from "@/features/finance/finance-format";
import { TitledHeader } from "@/features/finance/finance-parts";
import { useNow } from "@/features/notifications/use-now";
import { BarList } from "@/features/stats/bar-list";
import { formatPercentValue } from "@/features/stats/stats-format";
import { formatDate, formatNumber } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

const NUMBER = "text-right tabular-nums whitespace-nowrap";

const billingOf = (advertiserId: string) => `/billing?advertiser_id=${encodeURIComponent(advertiserId)}`;

/** The Owner's view of the platform's own revenue: MRR and ARR, subscriptions by plan and state, trials ending, overdue invoices and churn. */
export function AdminBillingPage() {
  const { t } = useTranslation();
  const can = useCan();
  const overview = useBillingOverview();
  return (
    <>
      <PageHeader title={t("plans.overview.title")} description={t("plans.overview.description")} />
      {overview.isError ? (
        <Card>
          <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
        </Card>
      ) : !overview.data ? (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {Array.from({ length: 3 }, (_, index) => (
            <Skeleton key={index} className="h-28 rounded-xl" />
          ))}
        </div>
      ) : (
        <Overview overview={overview.data} />
      )}
      {can("billing:read:any") ? <Subscriptions /> : null}
    </>
  );
}

function Overview({ overview }: { overview: BillingOverview }) {
  return (
    <>
      <Revenue overview={overview} />
      <ByPlan overview={overview} />
      <OverdueInvoices invoices={overview.overdue} />
      <TrialsEnding trials={overview.trials_ending} />
      <Churn overview={overview} />
    </>
  );
}

/** MRR per currency, each with its ARR; money is never summed across currencies. */
function Revenue({ overview }: { overview: BillingOverview }) {
  const { t, i18n } = useTranslation();
  if (overview.mrr.length === 0) {
    return (
      <Card data-testid="revenue-empty">
        <EmptyState icon={TrendingUpIcon} title={t("plans.overview.noRevenueTitle")} description={t("plans.overview.noRevenueText")} />
      </Card>
    );
  }
  const arr = new Map(overview.arr.map((row) => [row.currency, row.amount]));
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {overview.mrr.map((row) => (
        <Card key={row.currency} className="p-4" data-testid={`revenue-${row.currency}`}>
          <div className="flex items-center justify-between text-muted-foreground">
            <span className="text-sm font-medium">{t("plans.overview.mrr", { currency: row.currency })}</span>
            <TrendingUpIcon className="size-4" />
          </div>
          <div className="mt-2 text-2xl font-semibold tracking-tight tabular-nums" data-testid={`mrr-${row.currency}`} data-amount={row.amount}>
            {formatDecimalMoney(row.amount, row.currency, i18n.language)}
          </div>
          <p className="mt-1 text-sm text-muted-foreground">
            {t("plans.overview.arr")}{" "}
            <span className="font-medium text-foreground tabular-nums" data-testid={`arr-${row.currency}`} data-amount={arr.get(row.currency)}>
              {formatDecimalMoney(arr.get(row.currency) ?? "0", row.currency, i18n.language)}
            </span>
          </p>
        </Card>
      ))}
    </div>
  );
}

function ByPlan({ overview }: { overview: BillingOverview }) {
  const { t, i18n } = useTranslation();
  const plans = useAdminPlans();
  const ranked = [...(plans.data?.plans ?? [])].sort((a, b) => a.rank - b.rank);
  const names = new Map(ranked.map((plan) => [plan.code, plan.name]));
  const rows = subscriptionsByPlan(
    overview.by_plan,
    ranked.map((plan) => plan.code),
  );
  const number = (value: number) => (value === 0 ? <span className="text-muted-foreground">0</span> : formatNumber(value, i18n.language));
  const columns: Column<PlanStates>[] = [
    { id: "plan", header: t("plans.admin.columns.plan"), cell: (row) => <span className="font-medium">{names.get(row.plan) ?? row.plan}</span> },
    ...SUBSCRIPTION_STATES.map((state): Column<PlanStates> => ({
      id: state,
      header: t(`plans.state.${state}`),
      cell: (row) => <span data-state={state}>{number(row.counts[state])}</span>,
      className: NUMBER,
    })),
    { id: "total", header: t("plans.overview.total"), cell: (row) => <span className="font-medium">{number(row.total)}</span>, className: NUMBER },
  ];
  return (
    <Card data-testid="subscriptions-by-plan">
      <TitledHeader title={t("plans.overview.byPlanTitle")} description={t("plans.overview.byPlanText")} />
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(row) => row.plan}
        rowTestId={(row) => `by-plan-${row.plan}`}
        isLoading={false}
        error={null}
        empty={{ icon: UsersIcon, title: t("plans.overview.noSubscriptions") }}
      />
    </Card>
  );
}

function OverdueInvoices({ invoices }: { invoices: StaffInvoice[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const now = useNow(60 * 60_000);
  const columns: Column<StaffInvoice>[] = [
    {
      id: "advertiser",
      header: t("advertisers.advertiser"),
      cell: (invoice) => (
        <Link to={billingOf(invoice.advertiser_id)} className="font-medium text-primary underline-offset-4 hover:underline">
          <UserText value={invoice.advertiser_name} />
        </Link>
      ),
    },
    { id: "number", header: t("plans.invoices.columns.number"), cell: (invoice) => invoice.number, className: "whitespace-nowrap" },
    {
      id: "total",
      header: t("plans.invoices.columns.total"),
      cell: (invoice) => formatDecimalMoney(invoice.total, invoice.currency, language),
      className: NUMBER,
    },
    {
      id: "due",
      header: t("plans.overview.due"),
      cell: (invoice) => (
        <div className="space-y-0.5">
          <div>{formatDate(invoice.due_at, language)}</div>
          <div className="text-xs text-destructive">{t("plans.overview.daysOverdue", { count: daysOverdue(invoice.due_at, now) })}</div>
        </div>
      ),
      className: "whitespace-nowrap",
    },
    {
      id: "paid",
      header: <span className="sr-only">{t("common.actions")}</span>,
      cell: (invoice) => <MarkPaidDialog invoice={invoice} />,
      className: "text-right",
    },
  ];
  return (
    <Card data-testid="overdue-invoices">
      <TitledHeader title={t("plans.overview.overdueTitle")} description={t("plans.overview.overdueText")} />
      <DataTable
        columns={columns}
        rows={invoices}
        rowKey={(invoice) => `${invoice.advertiser_id}:${invoice.invoice_id}`}
        rowTestId={() => "overdue-invoice-row"}
        rowAttributes={(invoice) => ({ "data-invoice": invoice.invoice_id, "data-advertiser": invoice.advertiser_id })}
        isLoading={false}
        error={null}
        empty={{ icon: ReceiptTextIcon, title: t("plans.overview.noOverdue") }}
      />
    </Card>
  );
}

function TrialsEnding({ trials }: { trials: TrialEnding[] }) {
  const { t, i18n } = useTranslation();
  const now = useNow(60 * 60_000);
  const columns: Column<TrialEnding>[] = [
    {
      id: "advertiser",
      header: t("advertisers.advertiser"),
      cell: (trial) => (
        <Link to={billingOf(trial.advertiser_id)} className="font-medium text-primary underline-offset-4 hover:underline">
          <UserText value={trial.advertiser_name} />
        </Link>
      ),
    },
    { id: "plan", header: t("plans.admin.columns.plan"), cell: (trial) => trial.plan_code },
    {
      id: "ends",
      header: t("plans.overview.trialEnds"),
      cell: (trial) => (
        <div className="space-y-0.5">
          <div>{formatDate(trial.trial_end, i18n.language)}</div>
          <div className="text-xs text-muted-foreground">{t("plans.state.trialingDays", { count: daysUntil(trial.trial_end, now) })}</div>
        </div>
      ),
      className: "whitespace-nowrap",
    },
  ];
  return (
    <Card data-testid="trials-ending">
      <TitledHeader title={t("plans.overview.trialsTitle")} description={t("plans.overview.trialsText")} />
      <DataTable
        columns={columns}
        rows={trials}
        rowKey={(trial) => trial.advertiser_id}
        rowTestId={() => "trial-ending-row"}
        rowAttributes={(trial) => ({ "data-advertiser": trial.advertiser_id })}
        isLoading={false}
        error={null}
        empty={{ icon: CalendarClockIcon, title: t("plans.overview.noTrials") }}
      />
    </Card>
  );
}

/** Every advertiser's subscription; the Owner sets an advertiser's own price and limits from here. */
function Subscriptions() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const can = useCan();
  const manages = can("billing:manage:any");
  const subscriptions = useStaffSubscriptions();
  const plans = useAdminPlans(manages);
  const known = new Map((plans.data?.plans ?? []).map((plan) => [plan.code, plan]));
  const columns: Column<StaffSubscription>[] = [
    {
      id: "advertiser",
      header: t("advertisers.advertiser"),
      cell: (sub) => (
        <Link to={billingOf(sub.advertiser_id)} className="font-medium text-primary underline-offset-4 hover:underline">
          <UserText value={sub.advertiser_name} />
        </Link>
      ),
    },
    {
      id: "plan",
      header: t("plans.admin.columns.plan"),
      cell: (sub) => (
        <div className="space-y-0.5">
          <div>{known.get(sub.plan_code)?.name ?? sub.plan_code}</div>
          {sub.custom_terms ? (
            <div className="text-xs text-muted-foreground" data-testid="custom-terms-mark">
              {t("plans.overview.customTerms")}
            </div>
          ) : null}
        </div>
      ),
    },
    { id: "state", header: t("plans.overview.state"), cell: (sub) => <SubscriptionStateBadge state={sub.state} /> },
    {
      id: "price",
      header: t("plans.overview.price"),
      cell: (sub) => t(`plans.overview.perInterval.${sub.interval}`, { amount: formatDecimalMoney(sub.price, sub.currency, language) }),
      className: NUMBER,
    },
    {
      id: "period",
      header: t("plans.overview.periodEnd"),
      cell: (sub) => formatDate(sub.period_end, language),
      className: "whitespace-nowrap",
    },
    ...(manages
      ? [
          {
            id: "terms",
            header: <span className="sr-only">{t("common.actions")}</span>,
            cell: (sub: StaffSubscription) => <TermsDialog subscription={sub} planLimits={known.get(sub.plan_code)?.limits ?? null} />,
            className: "text-right",
          },
        ]
      : []),
  ];
  return (
    <Card data-testid="subscriptions-card">
      <TitledHeader title={t("plans.overview.subscriptionsTitle")} description={t("plans.overview.subscriptionsText")} />
      <DataTable
        columns={columns}
        rows={subscriptions.data?.items}
        rowKey={(sub) => sub.advertiser_id}
        rowTestId={() => "subscription-row"}
        rowAttributes={(sub) => ({ "data-advertiser": sub.advertiser_id, "data-state": sub.state })}
        isLoading={subscriptions.isPending}
        error={subscriptions.error}
        onRetry={() => void subscriptions.refetch()}
        empty={{ icon: HandshakeIcon, title: t("plans.overview.noSubscriptions") }}
      />
    </Card>
  );
}

/** The last 12 months' churn, each month as a bar as long as its rate. */
function Churn({ overview }: { overview: BillingOverview }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const bars = overview.churn.map((month) => ({
    key: month.month,
    label: formatInvoicePeriod(month.month, language),
    value: month.rate_bp ?? 0,
    display:
      month.rate_bp === null
        ? t("plans.overview.churnNone")
        : t("plans.overview.churnValue", {
            percent: formatPercentValue(churnPercent(month.rate_bp), language),
            canceled: formatNumber(month.canceled, language),
            active: formatNumber(month.active_at_start, language),
          }),
  }));
  return (
    <Card data-testid="churn">
      <TitledHeader title={t("plans.overview.churnTitle")} description={t("plans.overview.churnText")} />
      <CardContent className="pt-6">
        {bars.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("plans.overview.noSubscriptions")}</p>
        ) : (
          <BarList bars={bars} testId="churn-bars" />
        )}
      </CardContent>
    </Card>
  );
}
