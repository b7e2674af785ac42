import { BellIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageHeader } from "@/components/page-header";
import { MfaCard } from "@/features/account/mfa-card";
import { PasswordCard } from "@/features/account/password-card";
import { ProfileCard } from "@/features/account/profile-card";
import { Button } from "@/components/ui/button";

export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t("account.title")}
        description={t("account.description")}
        actions={
          <Button variant="outline" size="sm" asChild>
            <Link to="/settings/notifications" data-testid="account-notifications">
              <BellIcon /> {t("notifications.preferences.link")}
            </Link>
          </Button>
        }
      />
      <div className="grid max-w-3xl gap-6">
        <ProfileCard />
        <PasswordCard />
        <MfaCard />
      </div>
    </>
  );
}
