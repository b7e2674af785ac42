import { BuildingIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { BlockListEditor } from "@/features/block-lists/block-list-editor";

/** The advertiser's own block list, for all its offers (an offer's own list is on the offer's page). */
export function BlockListsPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Platform staff name the advertiser whose list they look at; an advertiser sees its own.
  const staff = can("workspace:read:any");
  const manages = can(["workspace:manage:own", "workspace:manage:any"]);
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const chosen = !staff || advertiserId !== undefined;
  return (
    <>
      <PageHeader
        title={t("blocks.title")}
        description={t("blocks.description")}
        actions={staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="block-lists-advertiser" /> : null}
      />
      {chosen ? (
        <BlockListEditor key={advertiserId ?? ""} scope={{ advertiserId }} manages={manages} />
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}
