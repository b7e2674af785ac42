import { useTranslation } from "react-i18next";
import type { OperationStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

const STATUS_VARIANTS: Record<OperationStatus, BadgeVariant> = { pending: "neutral", retrying: "warning", success: "success", failed: "destructive" };

export function OperationStatusBadge({ status }: { status: OperationStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[status]} data-testid={`operation-status-${status}`}>
      <span className="size-1.5 rounded-full bg-current" />
      {t(`operations.status.${status}`)}
    </Badge>
  );
}

/** An attempt's outcome: delivered (a 2xx answer) or not. */
export function AttemptOutcomeBadge({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return <Badge variant={ok ? "success" : "destructive"}>{ok ? t("operations.attempt.ok") : t("operations.attempt.failed")}</Badge>;
}
