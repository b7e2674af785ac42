import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** A click ID, shortened, opening the click inspector. */
export function ClickLink({ clickId }: { clickId: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`/clicks/${encodeURIComponent(clickId)}`}
      title={t("clicks.inspect")}
      className="font-mono text-xs text-primary underline-offset-4 hover:underline"
    >
      {clickId.slice(0, 8)}…
    </Link>
  );
}
