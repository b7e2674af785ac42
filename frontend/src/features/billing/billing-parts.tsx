import { AlertTriangleIcon, CircleAlertIcon, InfoIcon, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { PlatformInvoiceStatus, SubscriptionState } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { cn } from "@/lib/cn";

const STATE_VARIANTS: Record<SubscriptionState, BadgeVariant> = {
  trialing: "default",
  active: "success",
  past_due: "warning",
  suspended: "destructive",
  canceled: "neutral",
};

/** A subscription's state; a trial says how many days it has left. */
export function SubscriptionStateBadge({ state, daysLeft }: { state: SubscriptionState; daysLeft?: number | null }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATE_VARIANTS[state]} data-testid="subscription-state" data-state={state}>
      {state === "trialing" && daysLeft != null ? t("plans.state.trialingDays", { count: daysLeft }) : t(`plans.state.${state}`)}
    </Badge>
  );
}

const INVOICE_VARIANTS: Record<PlatformInvoiceStatus, BadgeVariant> = { open: "warning", paid: "success", void: "neutral" };

export function PlatformInvoiceStatusBadge({ status }: { status: PlatformInvoiceStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={INVOICE_VARIANTS[status]} data-testid="billing-invoice-status" data-status={status}>
      {t(`plans.invoices.status.${status}`)}
    </Badge>
  );
}

type Tone = "info" | "warning" | "danger";

const TONES: Record<Tone, { icon: LucideIcon; className: string }> = {
  info: { icon: InfoIcon, className: "border-primary/25 bg-primary/5" },
  warning: { icon: AlertTriangleIcon, className: "border-warning/40 bg-warning/10" },
  danger: { icon: CircleAlertIcon, className: "border-destructive/30 bg-destructive/5" },
};

/** A message about the subscription with what to do about it (pay, resume), in the colour of how pressing it is. */
export function Callout({ tone, children, action, testId }: { tone: Tone; children: ReactNode; action?: ReactNode; testId?: string }) {
  const { icon: Icon, className } = TONES[tone];
  return (
    <div
      role={tone === "info" ? "status" : "alert"}
      data-testid={testId}
      className={cn("flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm", className)}
    >
      <Icon className={cn("size-4 shrink-0", tone === "warning" ? "text-warning" : tone === "danger" ? "text-destructive" : "text-primary")} />
      <div className="min-w-0 flex-1 space-y-1">{children}</div>
      {action ? <div className="flex shrink-0 flex-wrap gap-2">{action}</div> : null}
    </div>
  );
}
