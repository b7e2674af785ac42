import { ScanEyeIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Conversion, ConversionStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { screeningText } from "@/features/fraud/fraud-rules";
import { formatDateTime } from "@/lib/format";

const STATUS_VARIANTS: Record<ConversionStatus, BadgeVariant> = { pending: "neutral", hold: "default", approved: "success", rejected: "destructive" };

export function ConversionStatusBadge({ status }: { status: ConversionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[status]} data-testid={`conversion-status-${status}`}>
      <span className="size-1.5 rounded-full bg-current" />
      {t(`conversions.status.${status}`)}
    </Badge>
  );
}

/** A conversion a fraud rule held, or that came faster than the offer's minimum time: the advertiser should look before approving. */
export function ReviewBadge({ testId, conversion }: { testId?: string; conversion?: Conversion }) {
  const { t, i18n } = useTranslation();
  const why = conversion ? screeningText(t, conversion, i18n.language) : null;
  return (
    <Badge variant="warning" title={why ?? t("conversions.reviewHint")} data-testid={testId}>
      <ScanEyeIcon /> {t("conversions.review")}
    </Badge>
  );
}

/** The status of a conversion, with when a hold ends, why a fraud rule held or rejected it, and, where asked, the rejection's reason. */
export function ConversionStatusCell({ conversion, withReason }: { conversion: Conversion; withReason: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="space-y-1">
      <ConversionStatusBadge status={conversion.status} />
      {conversion.status === "hold" && conversion.hold_until ? (
        <div className="text-xs whitespace-nowrap text-muted-foreground">
          {t("conversions.holdUntil", { date: formatDateTime(conversion.hold_until, i18n.language) })}
        </div>
      ) : null}
      {withReason && conversion.status === "rejected" && conversion.reason ? (
        <div className="text-xs text-muted-foreground">{t(`conversions.reasons.${conversion.reason}`)}</div>
      ) : null}
      <ScreeningNote conversion={conversion} />
    </div>
  );
}

/** What a fraud rule did to the conversion and why ("Held: click from a datacenter network, AS16509 (Amazon AWS)"). */
export function ScreeningNote({ conversion }: { conversion: Conversion }) {
  const { t, i18n } = useTranslation();
  const text = screeningText(t, conversion, i18n.language);
  if (!text) return null;
  return (
    <div
      className="max-w-72 min-w-44 text-xs text-muted-foreground"
      data-testid={`conversion-screening-${conversion.id}`}
      data-flag={conversion.screening_flag}
    >
      {text}
    </div>
  );
}
