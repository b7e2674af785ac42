import { useTranslation } from "react-i18next";
import type { UserStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

const VARIANTS: Record<UserStatus, BadgeVariant> = { active: "success", invited: "warning", blocked: "destructive" };

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={VARIANTS[status]}>
      <span className="size-1.5 rounded-full bg-current" />
      {t(`users.status.${status}`)}
    </Badge>
  );
}
