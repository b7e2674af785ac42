import { GaugeIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Meter, Usage } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Card, CardContent } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Skeleton } from "@/components/ui/skeleton";
import { Callout } from "@/features/billing/billing-parts";
import { meterBarWidth, meterLevel, meterPercent, type MeterLevel } from "@/features/billing/meters";
import { LIMIT_NAMES, limitName } from "@/features/billing/plan-words";
import { useUsage } from "@/features/billing/use-billing";
import { formatInvoicePeriod } from "@/features/finance/finance-format";
import { TitledHeader } from "@/features/finance/finance-parts";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

const BAR_COLOURS: Record<MeterLevel, string> = {
  unlimited: "bg-primary/40",
  excluded: "bg-muted-foreground/30",
  ok: "bg-primary",
  warning: "bg-warning",
  full: "bg-destructive",
};

const TEXT_COLOURS: Record<MeterLevel, string> = {
  unlimited: "text-muted-foreground",
  excluded: "text-muted-foreground",
  ok: "text-muted-foreground",
  warning: "text-warning",
  full: "text-destructive",
};

/** Where the order of the limits puts a meter; one this dashboard does not know goes last. */
const order = (meter: Meter) => {
  const at = (LIMIT_NAMES as readonly string[]).indexOf(meter.limit);
  return at < 0 ? LIMIT_NAMES.length : at;
};

/** This month's usage against the plan: a meter per limit, amber from 80 %, red at the limit, and the clicks over it. */
export function UsageCard({ advertiserId, pays }: { advertiserId: string | undefined; pays: boolean }) {
  const { t, i18n } = useTranslation();
  const usage = useUsage(advertiserId);
  return (
    <Card data-testid="usage-card">
      <TitledHeader
        title={usage.data ? t("plans.usage.titleIn", { month: formatInvoicePeriod(usage.data.month, i18n.language) }) : t("plans.usage.title")}
        description={t("plans.usage.text")}
      />
      <CardContent className="space-y-5 pt-6">
        {usage.isError ? (
          <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />
        ) : !usage.data ? (
          <Skeleton className="h-40 w-full" />
        ) : usage.data.meters.length === 0 ? (
          <EmptyState icon={GaugeIcon} title={t("plans.usage.emptyTitle")} />
        ) : (
          <>
            <div className="grid gap-x-8 gap-y-5 md:grid-cols-2">
              {[...usage.data.meters]
                .sort((a, b) => order(a) - order(b))
                .map((meter) => (
                  <MeterRow key={meter.limit} meter={meter} />
                ))}
            </div>
            <Overage usage={usage.data} pays={pays} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

function MeterRow({ meter }: { meter: Meter }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const level = meterLevel(meter);
  const percent = meterPercent(meter);
  const whiteLabel = meter.limit === "white_label";
  const figure = whiteLabel
    ? t(meter.usage > 0 ? "common.on" : "common.off")
    : meter.allowed === null
      ? t("plans.usage.ofUnlimited", { usage: number(meter.usage) })
      : t("plans.usage.of", { usage: number(meter.usage), allowed: number(meter.allowed) });
  const note =
    level === "unlimited"
      ? t("plans.usage.unlimited")
      : level === "excluded"
        ? t("plans.usage.excluded")
        : whiteLabel
          ? t(level === "full" ? "plans.usage.whiteLabelOver" : "plans.usage.included")
          : level === "full"
            ? t("plans.usage.full", { percent: number(percent ?? 0) })
            : t("plans.usage.percent", { percent: number(percent ?? 0) });
  return (
    <div
      className="space-y-2"
      data-testid={`meter-${meter.limit}`}
      data-level={level}
      data-usage={meter.usage}
      data-allowed={meter.allowed ?? "unlimited"}
      data-percent={percent ?? undefined}
    >
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium">{limitName(t, meter.limit)}</span>
        <span className="tabular-nums" data-testid={`meter-${meter.limit}-figure`}>
          {figure}
        </span>
      </div>
      {whiteLabel ? null : (
        <Progress
          value={level === "unlimited" || level === "excluded" ? 0 : meterBarWidth(meter)}
          indicatorClassName={BAR_COLOURS[level]}
          aria-label={limitName(t, meter.limit)}
        />
      )}
      <p className={cn("text-xs", TEXT_COLOURS[level])} data-testid={`meter-${meter.limit}-note`}>
        {note}
      </p>
    </div>
  );
}

/** Clicks past the month's limit: billed at the plan's overage price, or, without one, a reason to upgrade. */
function Overage({ usage, pays }: { usage: Usage; pays: boolean }) {
  const { t, i18n } = useTranslation();
  const over = usage.overage;
  if (!over || over.clicks <= 0) return null;
  const clicks = formatNumber(over.clicks, i18n.language);
  return (
    <div data-testid="overage" data-clicks={over.clicks} data-amount={over.amount ?? undefined}>
      <Callout
        tone={over.amount === null ? "danger" : "warning"}
        action={
          over.amount === null && pays ? (
            <Link to="/pricing" className="text-sm font-medium text-primary underline-offset-4 hover:underline" data-testid="overage-upgrade">
              {t("plans.usage.upgrade")}
            </Link>
          ) : null
        }
      >
        <p>
          {over.amount === null
            ? t("plans.usage.overageNoPrice", { count: over.clicks, clicks })
            : t("plans.usage.overage", { count: over.clicks, clicks, amount: formatDecimalMoney(over.amount, over.currency, i18n.language) })}
        </p>
      </Callout>
    </div>
  );
}
