import { useTranslation } from "react-i18next";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { PostbackSettingsForm } from "@/features/postbacks/postback-settings-form";
import { PostbackTestCard } from "@/features/postbacks/postback-test-card";
import { usePostbackSettings } from "@/features/postbacks/use-postback-settings";

/** Where the affiliate's tracker hears about its clicks and conversions, and a button to try it. */
export function PostbacksPage() {
  const { t } = useTranslation();
  const settings = usePostbackSettings();
  return (
    <>
      <PageHeader title={t("postbacks.title")} description={t("postbacks.description")} />
      {settings.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : settings.isError ? (
        <Card>
          <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        </Card>
      ) : (
        <PostbackSettingsForm settings={settings.data} />
      )}
      <PostbackTestCard />
    </>
  );
}
