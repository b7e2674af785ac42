import { useTranslation } from "react-i18next";
import type { FailureRate } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { failureTone, formatFailureRate, hourBars } from "@/features/monitor/failure-rate";
import { operationTypeLabel } from "@/features/operations/operation-labels";
import { formatNumber } from "@/lib/format";

/** One card per job type: how its attempts went over the last 24 hours. */
export function FailureRates({ rates }: { rates: FailureRate[] }) {
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="monitor-rates">
      {rates.map((rate) => (
        <FailureRateCard key={rate.type} rate={rate} />
      ))}
    </div>
  );
}

function FailureRateCard({ rate }: { rate: FailureRate }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const figures: [string, number][] = [
    [t("monitor.rates.attempts"), rate.attempts],
    [t("monitor.rates.failures"), rate.failures],
    [t("monitor.rates.succeeded"), rate.succeeded],
    [t("monitor.rates.failed"), rate.failed],
  ];
  return (
    <Card data-testid={`monitor-rate-${rate.type}`}>
      <CardHeader className="flex-row items-center justify-between gap-3 space-y-0">
        <CardTitle>{operationTypeLabel(t, rate.type)}</CardTitle>
        <Badge variant={failureTone(rate.failure_rate)} title={t("monitor.rates.rateHint")}>
          {t("monitor.rates.rate", { rate: formatFailureRate(rate.failure_rate, language) })}
        </Badge>
      </CardHeader>
      <CardContent className="space-y-4">
        <dl className="grid grid-cols-4 gap-3">
          {figures.map(([label, value]) => (
            <div key={label} className="space-y-0.5">
              <dt className="text-xs text-muted-foreground">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatNumber(value, language)}</dd>
            </div>
          ))}
        </dl>
        <HourStrip rate={rate} />
      </CardContent>
    </Card>
  );
}

/** A bar per hour, oldest first: its height the hour's attempts, its red part the failures. */
function HourStrip({ rate }: { rate: FailureRate }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-1">
      <div className="flex h-12 items-end gap-px" role="img" aria-label={t("monitor.rates.stripLabel")}>
        {hourBars(rate.hours).map((bar) => (
          <div
            key={bar.hour}
            className="flex min-h-px flex-1 flex-col justify-end overflow-hidden rounded-[2px] bg-muted-foreground/25"
            style={{ height: `${Math.max(bar.height, 2)}%` }}
            title={t("monitor.rates.hourTitle", { hour: `${bar.hour.replace("T", " ")}:00 UTC`, attempts: bar.attempts, failures: bar.failures })}
          >
            <div className="bg-destructive" style={{ height: `${bar.failedShare}%` }} />
          </div>
        ))}
      </div>
      <div className="flex justify-between text-[11px] text-muted-foreground">
        <span>{t("monitor.rates.dayAgo")}</span>
        <span>{t("monitor.rates.now")}</span>
      </div>
    </div>
  );
}
