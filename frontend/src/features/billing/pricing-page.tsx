import { useQuery } from "@tanstack/react-query";
import { CheckIcon, MailIcon, XIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import type { BillingInterval, Plan, PlanChange, PlanPrice, Subscription } from "@/api/types";
import { readPlanLimit, type PlanLimitRefusal } from "@/api/plan-limit";
import { Confirm } from "@/components/confirm-button";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useSessionPermissions } from "@/features/auth/use-me";
import { useSession } from "@/features/auth/use-session";
import { Callout } from "@/features/billing/billing-parts";
import { limitName, planLimitLines } from "@/features/billing/plan-words";
import {
  choosesCurrency,
  defaultCurrency,
  intervalPrice,
  planCurrencies,
  planMove,
  priceIn,
  yearlySavingPercent,
  type PlanMove,
} from "@/features/billing/pricing";
import { useChangePlan, usePlans, useSubscription } from "@/features/billing/use-billing";
import { hostPortalQuery } from "@/features/branding/portal";
import { cn } from "@/lib/cn";
import { formatDate } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

const INTERVALS: readonly BillingInterval[] = ["month", "year"];

/** A whole percent as the language writes it ("20%", «20 %»). */
function percentText(percent: number, language: string): string {
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100);
}

/**
 * The plans side by side, monthly or yearly, in any currency they are priced in. A visitor starts a
 * trial from here; an advertiser's people choose, upgrade or downgrade its plan.
 */
export function PricingPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const permissions = useSessionPermissions(session?.user.id ?? null);
  const granted = permissions.data ?? [];
  const pays = granted.includes("billing:manage:own");
  const plans = usePlans();
  const subscription = useSubscription(undefined, granted.includes("billing:read:own"));
  const change = useChangePlan(undefined);
  const errorMessage = useErrorMessage();
  const [chosenInterval, chooseInterval] = useState<BillingInterval | null>(null);
  const [chosenCurrency, chooseCurrency] = useState<string | null>(null);

  const offered = [...(plans.data?.plans ?? [])].sort((a, b) => a.rank - b.rank);
  const currencies = planCurrencies(offered);
  const current = subscription.data;
  const interval = chosenInterval ?? current?.interval ?? "month";
  const currency = chosenCurrency ?? defaultCurrency(currencies, current?.currency ?? null, i18n.language);
  const discount = offered.map((plan) => priceIn(plan, currency)).flatMap((price) => (price ? [yearlySavingPercent(price)] : []))[0] ?? null;
  const refusal = readPlanLimit(change.error);

  const choose = (plan: Plan) => {
    if (!current) return;
    change.mutate(
      { plan_code: plan.code, interval, currency: choosesCurrency(current) ? currency : null },
      { onSuccess: (result) => afterChange(result, plan) },
    );
  };
  const afterChange = (result: PlanChange, plan: Plan) => {
    // A first period or an upgrade with no card saved is paid on the payment provider's page.
    if (result.checkout_url) {
      window.location.assign(result.checkout_url);
      return;
    }
    const pending = result.subscription.pending;
    if (result.effective === "period_end") {
      // The page shows the change waiting too; the toast says the click did something.
      toast.success(
        t("plans.pricing.scheduled", {
          plan: plan.name,
          interval: t(`plans.interval.${pending?.interval ?? interval}`).toLocaleLowerCase(i18n.language),
          date: formatDate(pending?.effective_at ?? result.subscription.period_end, i18n.language),
        }),
      );
      return;
    }
    const invoice = result.invoice;
    if (invoice && invoice.status === "open") {
      toast.success(
        t("plans.pricing.invoiced", {
          plan: plan.name,
          number: invoice.number,
          amount: formatDecimalMoney(invoice.total, invoice.currency, i18n.language),
          date: formatDate(invoice.due_at, i18n.language),
        }),
      );
    } else toast.success(t("plans.pricing.changed", { plan: plan.name }));
  };

  return (
    <>
      <PageHeader title={t("plans.pricing.title")} description={t(session ? "plans.pricing.description" : "plans.pricing.visitorDescription")} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Tabs value={interval} onValueChange={(next) => chooseInterval(next as BillingInterval)}>
          <TabsList data-testid="interval-switch" aria-label={t("plans.pricing.intervalLabel")}>
            {INTERVALS.map((value) => (
              <TabsTrigger key={value} value={value} data-testid={`interval-${value}`}>
                {t(`plans.interval.${value}`)}
                {value === "year" && discount !== null ? (
                  <Badge variant="success" className="ml-1">
                    {t("plans.pricing.discount", { percent: percentText(discount, i18n.language) })}
                  </Badge>
                ) : null}
              </TabsTrigger>
            ))}
          </TabsList>
        </Tabs>
        {currencies.length > 1 && currency ? (
          <Tabs value={currency} onValueChange={chooseCurrency}>
            <TabsList data-testid="currency-switch" aria-label={t("plans.pricing.currencyLabel")}>
              {currencies.map((value) => (
                <TabsTrigger key={value} value={value} data-testid={`currency-${value}`}>
                  {value}
                </TabsTrigger>
              ))}
            </TabsList>
          </Tabs>
        ) : null}
      </div>
      {current && pays && current.currency !== currency && !choosesCurrency(current) ? (
        <p className="text-sm text-muted-foreground" data-testid="billed-in">
          {t("plans.pricing.billedIn", { currency: current.currency })}
        </p>
      ) : null}
      {current?.pending ? <PendingChange subscription={current} plans={offered} /> : null}
      {refusal ? (
        <PlanLimitList refusal={refusal} target={offered.find((plan) => plan.code === change.variables?.plan_code)?.name ?? null} />
      ) : change.error ? (
        <FormError testId="plan-change-error">{errorMessage(change.error)}</FormError>
      ) : null}
      {plans.isError ? (
        <Card>
          <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
        </Card>
      ) : plans.isPending ? (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} className="h-96 rounded-xl" />
          ))}
        </div>
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4" data-testid="plan-cards">
          {offered.map((plan) => (
            <PlanCard
              key={plan.code}
              plan={plan}
              price={priceIn(plan, currency)}
              currency={currency}
              interval={interval}
              subscription={current}
              action={
                plan.contact_us ? (
                  <ContactUs plan={plan} />
                ) : !session ? (
                  <Button asChild className="w-full" data-testid={`plan-start-${plan.code}`}>
                    <Link to="/sign-up">{t("plans.pricing.startTrial")}</Link>
                  </Button>
                ) : pays && current && priceIn(plan, currency) ? (
                  <ChangeButton
                    plan={plan}
                    price={priceIn(plan, currency)}
                    interval={interval}
                    subscription={current}
                    busy={change.isPending && change.variables.plan_code === plan.code}
                    disabled={change.isPending}
                    onConfirm={() => choose(plan)}
                  />
                ) : null
              }
            />
          ))}
        </div>
      )}
      <p className="text-xs text-muted-foreground">{t("plans.pricing.footnote")}</p>
    </>
  );
}

type PlanCardProps = {
  plan: Plan;
  price: PlanPrice | undefined;
  currency: string | null;
  interval: BillingInterval;
  subscription: Subscription | undefined;
  action: ReactNode;
};

function PlanCard({ plan, price, currency, interval, subscription, action }: PlanCardProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const money = (amount: string) => (price ? formatDecimalMoney(amount, price.currency, language) : amount);
  const isCurrent = subscription?.plan.code === plan.code && subscription.state !== "canceled";
  const saving = price ? yearlySavingPercent(price) : null;
  return (
    <Card
      className={cn("flex flex-col", isCurrent && "border-primary ring-1 ring-primary")}
      data-testid={`plan-card-${plan.code}`}
      data-rank={plan.rank}
      data-current={isCurrent ? "true" : "false"}
    >
      <CardHeader className="gap-3">
        <div className="flex items-center justify-between gap-2">
          <CardTitle className="text-lg" data-testid={`plan-name-${plan.code}`}>
            {plan.name}
          </CardTitle>
          {isCurrent ? (
            <Badge variant={subscription.state === "trialing" ? "default" : "success"} data-testid={`plan-current-${plan.code}`}>
              {t(subscription.state === "trialing" ? "plans.pricing.yourTrial" : "plans.pricing.yourPlan")}
            </Badge>
          ) : null}
        </div>
        {plan.contact_us ? (
          <div className="space-y-1">
            <div className="text-2xl font-semibold tracking-tight">{t("plans.pricing.customPrice")}</div>
            <p className="text-sm text-muted-foreground">{t("plans.pricing.customPriceText")}</p>
          </div>
        ) : price ? (
          <div className="space-y-1">
            <div className="flex items-baseline gap-1.5">
              <span
                className="text-2xl font-semibold tracking-tight tabular-nums"
                data-testid={`plan-price-${plan.code}`}
                data-amount={intervalPrice(price, interval)}
                data-currency={price.currency}
              >
                {money(intervalPrice(price, interval))}
              </span>
              <span className="text-sm text-muted-foreground">{t(`plans.pricing.per.${interval}`)}</span>
            </div>
            {saving !== null ? (
              <p className="text-sm text-success" data-testid={`plan-saving-${plan.code}`} data-amount={price.yearly_saving}>
                {interval === "year"
                  ? t("plans.pricing.yearlySaving", { amount: money(price.yearly_saving), percent: percentText(saving, language) })
                  : t("plans.pricing.orYearly", { amount: money(price.yearly), percent: percentText(saving, language) })}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-muted-foreground" data-testid={`plan-no-price-${plan.code}`}>
            {t("plans.pricing.notInCurrency", { currency: currency ?? "" })}
          </p>
        )}
      </CardHeader>
      <CardContent className="flex-1 space-y-3">
        <ul className="space-y-2 text-sm" data-testid={`plan-limits-${plan.code}`}>
          {planLimitLines(t, plan.limits).map((line) => (
            <li key={line.limit} className={cn("flex items-start gap-2", !line.included && "text-muted-foreground")} data-limit={line.limit}>
              {line.included ? <CheckIcon className="mt-0.5 size-4 shrink-0 text-success" /> : <XIcon className="mt-0.5 size-4 shrink-0" />}
              <span>{line.text}</span>
            </li>
          ))}
        </ul>
        {price && !plan.contact_us ? (
          <p className="text-xs text-muted-foreground" data-testid={`plan-overage-${plan.code}`}>
            {price.overage_per_1000 !== null ? t("plans.pricing.overage", { amount: money(price.overage_per_1000) }) : t("plans.pricing.noOverage")}
          </p>
        ) : null}
      </CardContent>
      {action ? <CardFooter className="border-t-0 pt-0">{action}</CardFooter> : null}
    </Card>
  );
}

const MOVE_VARIANT: Record<PlanMove, "default" | "outline"> = {
  choose: "default",
  upgrade: "default",
  downgrade: "outline",
  current: "outline",
  scheduled: "outline",
};

type ChangeButtonProps = {
  plan: Plan;
  price: PlanPrice | undefined;
  interval: BillingInterval;
  subscription: Subscription;
  busy: boolean;
  disabled: boolean;
  onConfirm: () => void;
};

/** Choose, upgrade or downgrade, after saying what it costs and when it starts; the plan it has already is no button. */
function ChangeButton({ plan, price, interval, subscription, busy, disabled, onConfirm }: ChangeButtonProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const move = planMove(subscription, plan, interval);
  if (move === "current" || move === "scheduled") {
    return (
      <Button className="w-full" variant="outline" disabled data-testid={`plan-choose-${plan.code}`} data-move={move}>
        {move === "current"
          ? t("plans.pricing.move.current")
          : t("plans.pricing.move.scheduled", { date: formatDate(subscription.pending?.effective_at ?? subscription.period_end, language) })}
      </Button>
    );
  }
  const amount = price ? formatDecimalMoney(intervalPrice(price, interval), price.currency, language) : "";
  const values = {
    plan: plan.name,
    current: subscription.plan.name,
    price: t(`plans.pricing.priceEvery.${interval}`, { price: amount }),
    date: formatDate(subscription.period_end, language),
  };
  return (
    <Confirm
      trigger={
        <Button className="w-full" variant={MOVE_VARIANT[move]} disabled={disabled} data-testid={`plan-choose-${plan.code}`} data-move={move}>
          {busy ? <Spinner /> : null}
          {t(`plans.pricing.move.${move}`)}
        </Button>
      }
      title={t(`plans.pricing.confirm.${move}Title`, values)}
      description={t(subscription.state === "trialing" ? "plans.pricing.confirm.trialText" : `plans.pricing.confirm.${move}Text`, values)}
      confirmLabel={t(`plans.pricing.move.${move}`)}
      onConfirm={onConfirm}
      destructive={false}
      testId="plan-confirm"
    />
  );
}

/** Enterprise's "contact us": the platform's support address when it has one, else how to reach it. */
function ContactUs({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const host = useQuery(hostPortalQuery);
  const address = host.data?.platform ? host.data.brand.support_email : null;
  if (!address) {
    return (
      <p className="w-full text-center text-sm text-muted-foreground" data-testid={`plan-contact-${plan.code}`}>
        {t("plans.pricing.contactText")}
      </p>
    );
  }
  const subject = encodeURIComponent(t("plans.pricing.contactSubject", { plan: plan.name }));
  return (
    <Button asChild variant="outline" className="w-full" data-testid={`plan-contact-${plan.code}`}>
      <a href={`mailto:${address}?subject=${subject}`}>
        <MailIcon /> {t("plans.pricing.contactUs")}
      </a>
    </Button>
  );
}

/** A downgrade or a change of interval waiting for the period's end. */
function PendingChange({ subscription, plans }: { subscription: Subscription; plans: readonly Plan[] }) {
  const { t, i18n } = useTranslation();
  const pending = subscription.pending;
  if (!pending) return null;
  const name = plans.find((plan) => plan.code === pending.plan_code)?.name ?? pending.plan_code;
  return (
    <Callout tone="info" testId="plan-change-scheduled">
      <p>
        {t("plans.pricing.scheduled", {
          plan: name,
          interval: t(`plans.interval.${pending.interval}`).toLocaleLowerCase(i18n.language),
          date: formatDate(pending.effective_at, i18n.language),
        })}
      </p>
    </Callout>
  );
}

/** A change refused: every limit the advertiser uses more of than the chosen plan allows, to reduce first. */
function PlanLimitList({ refusal, target }: { refusal: PlanLimitRefusal; target: string | null }) {
  const { t } = useTranslation();
  return (
    <Callout tone="danger" testId="plan-limit-error">
      <p className="font-medium">{target ? t("plans.pricing.reduceTitle", { plan: target }) : t("plans.pricing.reduceTitleAny")}</p>
      <ul className="list-disc space-y-0.5 pl-5">
        {refusal.excess.map((excess) => (
          <li
            key={excess.limit}
            data-testid="plan-limit-item"
            data-limit={excess.limit}
            data-usage={excess.usage ?? undefined}
            data-allowed={excess.allowed ?? undefined}
          >
            {excess.limit === "white_label"
              ? t("plans.pricing.reduceWhiteLabel")
              : excess.usage !== null && excess.allowed !== null
                ? t("plans.pricing.reduceLine", { limit: limitName(t, excess.limit), usage: excess.usage, allowed: excess.allowed })
                : limitName(t, excess.limit)}
          </li>
        ))}
      </ul>
    </Callout>
  );
}
