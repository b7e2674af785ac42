import { ArrowUpRightIcon, CreditCardIcon, RotateCcwIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import type { PlatformInvoice, Subscription } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { ErrorState } from "@/components/error-state";
import { Facts } from "@/components/facts";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { daysUntil } from "@/features/billing/banner";
import { formatPeriod, invoiceToPay } from "@/features/billing/billing-format";
import { Callout, SubscriptionStateBadge } from "@/features/billing/billing-parts";
import {
  useCancelSubscription,
  usePayInvoice,
  usePlans,
  usePlatformInvoices,
  useResumeSubscription,
  useSubscription,
  useUpdateCard,
} from "@/features/billing/use-billing";
import { useNow } from "@/features/notifications/use-now";
import { formatDate } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

type SubscriptionCardProps = {
  advertiserId: string | undefined;
  /** Chooses the plan and pays: the advertiser's own people. */
  pays: boolean;
  /** Cancels and resumes: its people, or the Owner for it. */
  manages: boolean;
};

/** The plan, the state of the subscription and what it asks of the advertiser now: pay, resume, choose. */
export function SubscriptionCard({ advertiserId, pays, manages }: SubscriptionCardProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const subscription = useSubscription(advertiserId);
  const invoices = usePlatformInvoices(advertiserId);
  const now = useNow(60 * 60_000);
  if (subscription.isError) {
    return (
      <Card>
        <ErrorState error={subscription.error} onRetry={() => void subscription.refetch()} />
      </Card>
    );
  }
  if (!subscription.data) return <Skeleton className="h-64 rounded-xl" />;
  const sub = subscription.data;
  const money = (amount: string, currency: string) => formatDecimalMoney(amount, currency, language);
  const daysLeft = sub.state === "trialing" && sub.trial_end ? daysUntil(sub.trial_end, now) : null;
  const toPay = invoiceToPay(invoices.data?.invoices);
  const running = sub.state !== "canceled" && !sub.cancel_at_period_end;
  const payment =
    sub.payment_method === "card" ? t(sub.has_card ? "plans.subscription.cardSaved" : "plans.subscription.noCard") : t("plans.methods.bank_transfer");

  return (
    <Card data-testid="subscription-card" data-state={sub.state}>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0 border-b">
        <div className="space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle className="text-lg" data-testid="plan-name" data-plan={sub.plan.code}>
              {sub.plan.name}
            </CardTitle>
            <SubscriptionStateBadge state={sub.state} daysLeft={daysLeft} />
          </div>
          <CardDescription data-testid="subscription-price">
            {t(`plans.pricing.priceEvery.${sub.interval}`, { price: money(sub.price, sub.currency) })}
          </CardDescription>
        </div>
        {pays ? (
          <Button asChild variant="outline" size="sm" data-testid="change-plan">
            <Link to="/pricing">
              <ArrowUpRightIcon /> {t("plans.subscription.changePlan")}
            </Link>
          </Button>
        ) : null}
      </CardHeader>
      <CardContent className="space-y-4 pt-6">
        <StateCallout subscription={sub} daysLeft={daysLeft} toPay={toPay} advertiserId={advertiserId} pays={pays} manages={manages} />
        <PendingCallout subscription={sub} />
        <Facts
          rows={[
            [t("plans.subscription.billing"), `${t(`plans.interval.${sub.interval}`)} · ${sub.currency}`],
            [t("plans.subscription.period"), formatPeriod(sub.period_start, sub.period_end, language)],
            ...(sub.trial_end && sub.state === "trialing" ? [[t("plans.subscription.trialEnd"), formatDate(sub.trial_end, language)] as [string, string]] : []),
            [
              t("plans.subscription.nextInvoice"),
              <span key="next" data-testid="next-invoice" data-amount={sub.next_invoice?.amount} data-currency={sub.next_invoice?.currency}>
                {sub.next_invoice
                  ? t("plans.subscription.nextInvoiceValue", {
                      date: formatDate(sub.next_invoice.date, language),
                      amount: money(sub.next_invoice.amount, sub.next_invoice.currency),
                    })
                  : t("plans.subscription.noNextInvoice")}
              </span>,
            ],
            [t("plans.subscription.payment"), payment],
            [t("plans.subscription.planVersion"), t("plans.subscription.planVersionValue", { version: sub.plan_version })],
            ...(sub.custom_terms ? [[t("plans.subscription.terms"), sub.custom_terms.note || t("plans.subscription.termsDefault")] as [string, string]] : []),
          ]}
        />
      </CardContent>
      {(pays && sub.payment_method === "card") || (manages && running) ? (
        <CardFooter className="flex-wrap justify-end gap-2">
          {pays && sub.payment_method === "card" ? <UpdateCardButton advertiserId={advertiserId} hasCard={sub.has_card} /> : null}
          {manages && running ? <CancelButton advertiserId={advertiserId} subscription={sub} /> : null}
        </CardFooter>
      ) : null}
    </Card>
  );
}

type StateCalloutProps = {
  subscription: Subscription;
  daysLeft: number | null;
  toPay: PlatformInvoice | undefined;
  advertiserId: string | undefined;
  pays: boolean;
  manages: boolean;
};

/** What the subscription's state asks for: choosing a plan before the trial ends, paying what is overdue, resuming. */
function StateCallout({ subscription: sub, daysLeft, toPay, advertiserId, pays, manages }: StateCalloutProps) {
  const { t, i18n } = useTranslation();
  const date = (value: string | null) => formatDate(value, i18n.language);
  const pay = pays && toPay ? <PayButton advertiserId={advertiserId} invoice={toPay} testId="pay-overdue" /> : null;
  const choose = pays ? (
    <Button asChild size="sm" data-testid="choose-plan">
      <Link to="/pricing">{t("plans.banner.choosePlan")}</Link>
    </Button>
  ) : null;
  if (sub.cancel_at_period_end && sub.state !== "canceled") {
    return (
      <Callout tone="info" testId="subscription-ending" action={manages ? <ResumeButton advertiserId={advertiserId} /> : null}>
        <p>{t("plans.subscription.ending", { date: date(sub.period_end) })}</p>
      </Callout>
    );
  }
  switch (sub.state) {
    case "trialing":
      return (
        <Callout tone="info" testId="subscription-trial" action={choose}>
          <p>{t("plans.subscription.trial", { count: daysLeft ?? 0, date: date(sub.trial_end) })}</p>
        </Callout>
      );
    case "past_due":
      return (
        <Callout tone="warning" testId="subscription-past-due" action={pay}>
          <p className="font-medium">{sub.suspends_at ? t("plans.subscription.pastDue", { date: date(sub.suspends_at) }) : t("plans.banner.pastDueNoDate")}</p>
          <p className="text-muted-foreground">{t("plans.subscription.trackingKeeps")}</p>
        </Callout>
      );
    case "suspended":
      return (
        <Callout tone="danger" testId="subscription-suspended" action={pay}>
          <p className="font-medium">{t("plans.subscription.suspended")}</p>
          <p className="text-muted-foreground">{t("plans.subscription.trackingKeeps")}</p>
        </Callout>
      );
    case "canceled":
      return (
        <Callout tone="danger" testId="subscription-canceled" action={choose}>
          <p>{t("plans.subscription.canceled")}</p>
        </Callout>
      );
    case "active":
      return null;
  }
}

/** A downgrade or a change of interval waiting for the period's end. */
function PendingCallout({ subscription }: { subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  const plans = usePlans();
  const pending = subscription.pending;
  if (!pending) return null;
  const name = plans.data?.plans.find((plan) => plan.code === pending.plan_code)?.name ?? pending.plan_code;
  return (
    <Callout tone="info" testId="pending-change">
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

/** Pays an invoice by card on the payment provider's page. */
export function PayButton({ advertiserId, invoice, testId }: { advertiserId: string | undefined; invoice: PlatformInvoice; testId: string }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const pay = usePayInvoice(advertiserId);
  return (
    <Button
      size="sm"
      onClick={() => pay.mutate(invoice.invoice_id, { onError: (error) => toast.error(errorMessage(error)) })}
      disabled={pay.isPending || pay.isSuccess}
      data-testid={testId}
      data-invoice={invoice.invoice_id}
    >
      {pay.isPending || pay.isSuccess ? <Spinner /> : <CreditCardIcon />}
      {t("plans.invoices.pay", { amount: formatDecimalMoney(invoice.total, invoice.currency, i18n.language) })}
    </Button>
  );
}

function ResumeButton({ advertiserId }: { advertiserId: string | undefined }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const resume = useResumeSubscription(advertiserId);
  return (
    <Button
      size="sm"
      variant="outline"
      onClick={() =>
        resume.mutate(undefined, { onSuccess: () => toast.success(t("plans.subscription.resumed")), onError: (error) => toast.error(errorMessage(error)) })
      }
      disabled={resume.isPending}
      data-testid="resume-subscription"
    >
      {resume.isPending ? <Spinner /> : <RotateCcwIcon />}
      {t("plans.subscription.resume")}
    </Button>
  );
}

function UpdateCardButton({ advertiserId, hasCard }: { advertiserId: string | undefined; hasCard: boolean }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const card = useUpdateCard(advertiserId);
  return (
    <Button
      size="sm"
      variant="outline"
      onClick={() => card.mutate(undefined, { onError: (error) => toast.error(errorMessage(error)) })}
      disabled={card.isPending || card.isSuccess}
      data-testid="update-card"
    >
      {card.isPending || card.isSuccess ? <Spinner /> : <CreditCardIcon />}
      {t(hasCard ? "plans.subscription.updateCard" : "plans.subscription.addCard")}
    </Button>
  );
}

function CancelButton({ advertiserId, subscription }: { advertiserId: string | undefined; subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const cancel = useCancelSubscription(advertiserId);
  return (
    <Confirm
      trigger={
        <Button size="sm" variant="ghost" className="text-destructive hover:text-destructive" disabled={cancel.isPending} data-testid="cancel-subscription">
          {cancel.isPending ? <Spinner /> : <XIcon />}
          {t("plans.subscription.cancel")}
        </Button>
      }
      title={t("plans.subscription.cancelTitle")}
      description={t("plans.subscription.cancelText", { plan: subscription.plan.name, date: formatDate(subscription.period_end, i18n.language) })}
      confirmLabel={t("plans.subscription.cancelConfirm")}
      onConfirm={() =>
        cancel.mutate(undefined, {
          onSuccess: () => toast.success(t("plans.subscription.canceledToast")),
          onError: (error) => toast.error(errorMessage(error)),
        })
      }
      testId="cancel-subscription-confirm"
    />
  );
}
