import { BuildingIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** What an affiliate sees on a page that needs an advertiser context while none is chosen. */
export function NoContextState({ description }: { description: string }) {
  const { t } = useTranslation();
  return (
    <Card data-testid="no-context">
      <EmptyState
        icon={BuildingIcon}
        title={t("context.noContextTitle")}
        description={description}
        action={
          <Button asChild variant="outline" size="sm">
            <Link to="/memberships">{t("nav.myAdvertisers")}</Link>
          </Button>
        }
      />
    </Card>
  );
}
