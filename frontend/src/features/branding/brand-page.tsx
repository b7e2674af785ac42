import { BuildingIcon, InfoIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { BrandImagesCard } from "@/features/branding/brand-images-card";
import { BrandSettingsForm } from "@/features/branding/brand-settings-form";
import { useBrandSettings } from "@/features/branding/use-brand-settings";

/** What an advertiser's affiliates see of it: its portal's name, colours, logos, contacts and legal links. */
export function BrandPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Owner and platform admin name the advertiser whose brand they change; an advertiser changes its own.
  const staff = can("branding:manage:any");
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const chosen = !staff || advertiserId !== undefined;
  return (
    <>
      <PageHeader
        title={t("brand.title")}
        description={t("brand.description")}
        actions={staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="brand-advertiser" /> : null}
      />
      {chosen ? (
        <BrandSettings advertiserId={advertiserId} />
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}

function BrandSettings({ advertiserId }: { advertiserId: string | undefined }) {
  const { t } = useTranslation();
  const brand = useBrandSettings(advertiserId);
  if (brand.isPending) {
    return (
      <div className="space-y-6" data-testid="brand-loading">
        <Skeleton className="h-64 w-full" />
        <Skeleton className="h-96 w-full" />
      </div>
    );
  }
  if (brand.isError) {
    return (
      <Card>
        <ErrorState error={brand.error} onRetry={() => void brand.refetch()} />
      </Card>
    );
  }
  return (
    <>
      {brand.data.updated_at === null ? (
        // The API shows the standard brand for an advertiser that never saved its own.
        <div className="flex items-start gap-2 rounded-lg border bg-muted/40 px-4 py-3 text-sm" data-testid="brand-not-saved">
          <InfoIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
          <p>{t("brand.notSaved")}</p>
        </div>
      ) : null}
      {/* A picked advertiser's form starts from its own brand, not from the one shown before. */}
      <BrandSettingsForm key={brand.data.advertiser_id} brand={brand.data} advertiserId={advertiserId} />
      <BrandImagesCard brand={brand.data} advertiserId={advertiserId} />
    </>
  );
}
