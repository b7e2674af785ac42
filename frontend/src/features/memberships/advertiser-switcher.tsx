import { Building2Icon, InfoIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { useMe } from "@/features/auth/use-me";
import { useRequiredSession } from "@/features/auth/use-session";
import { useSwitchContext } from "@/features/memberships/use-switch-context";

/** The affiliate's advertiser context: which advertiser's data the whole dashboard shows. */
export function AdvertiserSwitcher() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const me = useMe();
  const switchContext = useSwitchContext();

  if (me.isPending) return <Skeleton className="h-14 w-full" />;
  const memberships = me.data?.memberships ?? [];
  const active = memberships.filter((membership) => membership.status === "active");
  const pending = memberships.filter((membership) => membership.status === "pending").length;

  if (active.length === 0) {
    return (
      <div data-testid="advertiser-switcher-empty" className="rounded-lg border border-dashed p-3 text-xs text-muted-foreground">
        <div className="mb-1 flex items-center gap-1.5 font-medium text-foreground">
          <InfoIcon className="size-3.5" />
          {t("context.emptyTitle")}
        </div>
        <p>{pending > 0 ? t("context.emptyPending", { count: pending }) : t("context.emptyText")}</p>
      </div>
    );
  }

  return (
    <div className="space-y-1.5">
      <p className="px-1 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">{t("context.label")}</p>
      <Select
        value={context.advertiser_id ?? ""}
        onValueChange={(advertiserId) => {
          if (advertiserId !== context.advertiser_id) switchContext.mutate(advertiserId);
        }}
        disabled={switchContext.isPending}
      >
        <SelectTrigger data-testid="advertiser-switcher" aria-label={t("context.label")} className="h-10 bg-background">
          <span className="flex min-w-0 items-center gap-2">
            <Building2Icon className="size-4 shrink-0 text-muted-foreground" />
            <SelectValue placeholder={t("context.choose")} />
          </span>
        </SelectTrigger>
        <SelectContent>
          {active.map((membership) => (
            <SelectItem key={membership.advertiser_id} value={membership.advertiser_id} data-testid={`advertiser-option-${membership.advertiser_id}`}>
              <UserText value={membership.advertiser_name} />
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
