import { useTranslation } from "react-i18next";
import type { Suspension } from "@/api/types";
import { Callout } from "@/features/billing/billing-parts";
import { useMe } from "@/features/auth/use-me";
import { formatDate } from "@/lib/format";

/** The app's banner while the platform's staff have suspended the account the user works in: it reads, and changes nothing. */
export function SuspensionBanner() {
  const me = useMe();
  const suspension = me.data?.suspension;
  return suspension ? <SuspensionNotice suspension={suspension} /> : null;
}

export function SuspensionNotice({ suspension }: { suspension: Suspension }) {
  const { t, i18n } = useTranslation();
  return (
    <Callout tone="danger" testId="suspension-banner">
      <p className="font-medium">{t(`suspension.banner.${suspension.scope}`)}</p>
      {suspension.reason ? <p data-testid="suspension-banner-reason">{t("suspension.banner.reason", { reason: suspension.reason })}</p> : null}
      <p className="text-muted-foreground">
        {suspension.since ? t("suspension.banner.since", { date: formatDate(suspension.since, i18n.language) }) + " " : null}
        {t("suspension.banner.readOnly")}
      </p>
    </Callout>
  );
}
