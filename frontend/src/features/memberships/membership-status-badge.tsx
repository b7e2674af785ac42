import { useTranslation } from "react-i18next";
import type { MembershipStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

const VARIANTS: Record<MembershipStatus, BadgeVariant> = {
  pending: "warning",
  active: "success",
  rejected: "neutral",
  blocked: "destructive",
};

export function MembershipStatusBadge({ status }: { status: MembershipStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={VARIANTS[status]} data-testid={`membership-status-${status}`}>
      <span className="size-1.5 rounded-full bg-current" />
      {t(`memberships.status.${status}`)}
    </Badge>
  );
}
