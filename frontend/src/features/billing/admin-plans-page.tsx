import { LayersIcon, PencilIcon, PlusIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Plan } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PlanDialog } from "@/features/billing/plan-dialog";
import { planLimitLines } from "@/features/billing/plan-words";
import { useAdminPlans } from "@/features/billing/use-billing";
import { TitledHeader } from "@/features/finance/finance-parts";
import { formatDateTime } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

/** The Owner's plans: every one, offered or not, at its latest version, to edit or to add to. */
export function AdminPlansPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const plans = useAdminPlans();
  const rows = plans.data ? [...plans.data.plans].sort((a, b) => a.rank - b.rank) : undefined;
  const nextRank = Math.max(0, ...(rows ?? []).map((plan) => plan.rank)) + 1;
  const columns: Column<Plan>[] = [
    {
      id: "plan",
      header: t("plans.admin.columns.plan"),
      cell: (plan) => (
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{plan.name}</span>
            <code className="text-xs text-muted-foreground">{plan.code}</code>
          </div>
          <div className="flex flex-wrap gap-1">
            {plan.public ? null : <Badge variant="neutral">{t("plans.admin.hidden")}</Badge>}
            {plan.contact_us ? <Badge variant="outline">{t("plans.admin.contactUs")}</Badge> : null}
          </div>
        </div>
      ),
    },
    {
      id: "version",
      header: t("plans.admin.columns.version"),
      cell: (plan) => (
        <div className="space-y-0.5">
          <span className="font-medium tabular-nums" data-testid={`plan-version-${plan.code}`}>
            {t("plans.subscription.planVersionValue", { version: plan.version })}
          </span>
          <div className="text-xs text-muted-foreground">{formatDateTime(plan.updated_at, language)}</div>
        </div>
      ),
      className: "whitespace-nowrap",
    },
    { id: "rank", header: t("plans.admin.columns.rank"), cell: (plan) => plan.rank, className: "tabular-nums" },
    {
      id: "prices",
      header: t("plans.admin.columns.prices"),
      cell: (plan) =>
        plan.prices.length === 0 ? (
          <span className="text-muted-foreground">{t("plans.pricing.customPrice")}</span>
        ) : (
          <ul className="space-y-0.5 tabular-nums">
            {plan.prices.map((price) => (
              <li key={price.currency}>{t("plans.pricing.priceEvery.month", { price: formatDecimalMoney(price.monthly, price.currency, language) })}</li>
            ))}
          </ul>
        ),
      className: "whitespace-nowrap",
    },
    {
      id: "limits",
      header: t("plans.admin.columns.limits"),
      cell: (plan) => (
        <ul className="space-y-0.5 text-xs text-muted-foreground">
          {planLimitLines(t, plan.limits).map((line) => (
            <li key={line.limit}>{line.text}</li>
          ))}
        </ul>
      ),
    },
    {
      id: "edit",
      header: <span className="sr-only">{t("common.actions")}</span>,
      cell: (plan) => (
        <PlanDialog
          plan={plan}
          nextRank={nextRank}
          trigger={
            <Button size="sm" variant="outline" data-testid={`edit-plan-${plan.code}`}>
              <PencilIcon /> {t("plans.admin.edit")}
            </Button>
          }
        />
      ),
      className: "text-right",
    },
  ];
  return (
    <>
      <PageHeader
        title={t("plans.admin.title")}
        description={t("plans.admin.description")}
        actions={
          <PlanDialog
            plan={null}
            nextRank={nextRank}
            trigger={
              <Button data-testid="add-plan">
                <PlusIcon /> {t("plans.admin.add")}
              </Button>
            }
          />
        }
      />
      <Card data-testid="admin-plans">
        <TitledHeader title={t("plans.admin.listTitle")} description={t("plans.admin.versioning")} />
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(plan) => plan.code}
          rowTestId={(plan) => `admin-plan-${plan.code}`}
          rowAttributes={(plan) => ({ "data-version": String(plan.version) })}
          isLoading={plans.isPending}
          error={plans.error}
          onRetry={() => void plans.refetch()}
          empty={{ icon: LayersIcon, title: t("plans.admin.emptyTitle"), description: t("plans.admin.emptyText") }}
        />
      </Card>
    </>
  );
}
