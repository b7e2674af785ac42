import { useTranslation } from "react-i18next";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { UserText } from "@/components/user-text";
import { useAdvertisers } from "@/features/advertisers/use-advertisers";

const ALL = "__all__";

type AdvertiserPickerProps = {
  value: string | undefined;
  onChange: (advertiserId: string | undefined) => void;
  /** Offer "all advertisers" (platform-wide) as a choice. */
  allowAll?: boolean;
  testId?: string;
};

/** For platform roles: which advertiser's data a page shows. */
export function AdvertiserPicker({ value, onChange, allowAll = false, testId = "advertiser-picker" }: AdvertiserPickerProps) {
  const { t } = useTranslation();
  const advertisers = useAdvertisers();
  return (
    <Select value={value ?? (allowAll ? ALL : "")} onValueChange={(next) => onChange(next === ALL ? undefined : next)}>
      <SelectTrigger className="w-56" data-testid={testId} aria-label={t("advertisers.pick")}>
        <SelectValue placeholder={advertisers.isPending ? t("common.loading") : t("advertisers.pick")} />
      </SelectTrigger>
      <SelectContent>
        {allowAll ? <SelectItem value={ALL}>{t("advertisers.all")}</SelectItem> : null}
        {(advertisers.data?.items ?? []).map((advertiser) => (
          <SelectItem key={advertiser.id} value={advertiser.id}>
            <UserText value={advertiser.name} />
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
