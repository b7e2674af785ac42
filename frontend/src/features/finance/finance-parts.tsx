import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { MoneyRequest, MoneyRequestStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { isNegativeAmount } from "@/features/finance/amounts";
import { cn } from "@/lib/cn";
import { formatDecimalMoney } from "@/lib/money";

/** What a finance card needs of a query to show its loading, error and retry. */
export type QueryState = { isPending: boolean; error: unknown; refetch: () => unknown };

/** A finance card's title and text, with its actions on the right. */
export function TitledHeader({ title, description, children }: { title: ReactNode; description: ReactNode; children?: ReactNode }) {
  return (
    <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0 border-b">
      <div className="space-y-1.5">
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </div>
      {children ? <div className="flex flex-wrap items-center gap-2">{children}</div> : null}
    </CardHeader>
  );
}

/** An amount in its currency; a loss in the destructive colour. */
export function SignedMoney({ amount, currency, className }: { amount: string; currency: string; className?: string }) {
  const { i18n } = useTranslation();
  return <span className={cn(isNegativeAmount(amount, currency) && "text-destructive", className)}>{formatDecimalMoney(amount, currency, i18n.language)}</span>;
}

const STATUS_VARIANTS: Record<MoneyRequestStatus, BadgeVariant> = { open: "warning", done: "success", rejected: "neutral" };

/** A payout request's or a submitted top-up's status, in the words of its kind ("Paid", "Confirmed"). */
export function RequestStatusBadge({ request }: { request: Pick<MoneyRequest, "kind" | "status"> }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[request.status]} data-testid="request-status" data-status={request.status}>
      {t(request.kind === "payout" ? `finance.payoutRequests.status.${request.status}` : `finance.topupRequests.status.${request.status}`)}
    </Badge>
  );
}
