import { BuildingIcon, GlobeIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useCan } from "@/features/auth/use-can";
import { AddDomainDialog } from "@/features/domains/add-domain-dialog";
import { DomainCard } from "@/features/domains/domain-card";
import { useDomains } from "@/features/domains/use-domains";

/** The advertiser's own portal and tracking domains: the DNS records each needs, where each stands, and adding or removing one. */
export function DomainsPage() {
  const { t } = useTranslation();
  const can = useCan();
  // Platform staff name the advertiser whose domains they look at; an advertiser sees its own.
  const staff = can("workspace:read:any");
  const manages = can(["workspace:manage:own", "workspace:manage:any"]);
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const chosen = !staff || advertiserId !== undefined;
  return (
    <>
      <PageHeader
        title={t("domains.title")}
        description={t("domains.description")}
        actions={
          <>
            {staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="domains-advertiser" /> : null}
            {manages && chosen ? <AddDomainDialog advertiserId={advertiserId} /> : null}
          </>
        }
      />
      {chosen ? (
        <Domains advertiserId={advertiserId} manages={manages} />
      ) : (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pickFirstTitle")} description={t("advertisers.pickFirstText")} />
        </Card>
      )}
    </>
  );
}

function Domains({ advertiserId, manages }: { advertiserId: string | undefined; manages: boolean }) {
  const { t } = useTranslation();
  const domains = useDomains(advertiserId);
  if (domains.isPending) {
    return (
      <div className="space-y-4" data-testid="domains-loading">
        <Skeleton className="h-44 w-full" />
        <Skeleton className="h-44 w-full" />
      </div>
    );
  }
  if (domains.isError) {
    return (
      <Card>
        <ErrorState error={domains.error} onRetry={() => void domains.refetch()} />
      </Card>
    );
  }
  return (
    <>
      {domains.data.items.length === 0 ? (
        <Card data-testid="domains-empty">
          <EmptyState icon={GlobeIcon} title={t("domains.emptyTitle")} description={t("domains.emptyText")} />
        </Card>
      ) : (
        <div className="space-y-4" data-testid="domains">
          {domains.data.items.map((domain) => (
            <DomainCard key={domain.id} domain={domain} advertiserId={advertiserId} manages={manages} />
          ))}
        </div>
      )}
      <DnsHelp target={domains.data.cname_target} />
    </>
  );
}

/** What to do at the DNS provider, in the words of someone who has done it. */
function DnsHelp({ target }: { target: string }) {
  const { t } = useTranslation();
  const points = [t("domains.help.txt"), t("domains.help.cname", { target }), t("domains.help.proxy"), t("domains.help.relativeNames"), t("domains.help.wait")];
  return (
    <Card data-testid="domains-help">
      <CardHeader>
        <CardTitle>{t("domains.help.title")}</CardTitle>
        <CardDescription>{t("domains.help.text")}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="list-disc space-y-2 pl-5 text-sm text-muted-foreground">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
