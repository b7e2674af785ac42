import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { isCidr } from "@/features/settings/cidr";
import { isDomainName } from "@/features/settings/domain-name";
import { postbackDomains, postbackIps } from "@/features/settings/use-whitelist";
import { WhitelistCard } from "@/features/settings/whitelist-card";

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      <WhitelistCard
        whitelist={postbackIps}
        isValid={isCidr}
        title={t("settings.ipsTitle")}
        text={t("settings.ipsText")}
        hint={t("settings.hint")}
        placeholder={"203.0.113.0/24\n2001:db8::/32"}
        invalidText={(count) => t("settings.invalid", { count })}
        savedText={t("settings.saved")}
        testId="postback-ips"
      />
      <WhitelistCard
        whitelist={postbackDomains}
        isValid={isDomainName}
        title={t("settings.domainsTitle")}
        text={t("settings.domainsText")}
        hint={t("settings.domainsHint")}
        placeholder={"tracker.example.com\npartner-network.io"}
        invalidText={(count) => t("settings.domainsInvalid", { count })}
        savedText={t("settings.domainsSaved")}
        testId="postback-domains"
      />
    </>
  );
}
