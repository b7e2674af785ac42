import { useTranslation } from "react-i18next";
import type { AffiliateOfferAccess, OfferStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

const STATUS_VARIANTS: Record<OfferStatus, BadgeVariant> = { active: "success", paused: "warning", archived: "neutral" };

export function OfferStatusBadge({ status }: { status: OfferStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[status]} data-testid={`offer-status-${status}`}>
      <span className="size-1.5 rounded-full bg-current" />
      {t(`offers.status.${status}`)}
    </Badge>
  );
}

const ACCESS_VARIANTS: Record<AffiliateOfferAccess, BadgeVariant> = {
  open: "success",
  approved: "success",
  requested: "warning",
  rejected: "destructive",
  none: "neutral",
};

/** An affiliate's access to an offer, as the advertiser's Affiliates tab and the affiliate's catalogue show it. */
export function OfferAccessBadge({ access, testId }: { access: AffiliateOfferAccess; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant={ACCESS_VARIANTS[access]} data-testid={testId}>
      {t(`offers.access.${access}`)}
    </Badge>
  );
}
