import { useTranslation } from "react-i18next";
import { PageHeader } from "@/components/page-header";
import { MfaCard } from "@/features/account/mfa-card";
import { PasswordCard } from "@/features/account/password-card";
import { ProfileCard } from "@/features/account/profile-card";

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("account.title")} description={t("account.description")} />
      <div className="grid max-w-3xl gap-6">
        <ProfileCard />
        <PasswordCard />
        <MfaCard />
      </div>
    </>
  );
}
