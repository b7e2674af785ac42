import { CompassIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-[60svh] items-center justify-center">
      <EmptyState
        icon={CompassIcon}
        title={t("errors.notFoundTitle")}
        description={t("errors.notFoundText")}
        action={
          <Button asChild variant="outline" size="sm">
            <Link to="/">{t("join.goHome")}</Link>
          </Button>
        }
      />
    </div>
  );
}
