import { BellOffIcon, CheckCheckIcon, ChevronsDownIcon, SettingsIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { NoticeItem } from "@/features/notifications/notice-item";
import { useNow } from "@/features/notifications/use-now";
import { useInbox, useMarkAllRead, useUnreadCount } from "@/features/notifications/use-notifications";
import { useErrorMessage } from "@/lib/use-error-message";

type Filter = "all" | "unread";

/** Every notice of the last 90 days, newest first, a page at a time; the unread ones alone on the second tab. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const filter: Filter = params.get("filter") === "unread" ? "unread" : "all";
  const inbox = useInbox(filter === "unread");
  const markAll = useMarkAllRead();
  const now = useNow(30_000);
  const unread = useUnreadCount().data?.unread ?? inbox.data?.pages[0]?.unread ?? 0;
  // The unread tab's list is the API's; a notice read since it was loaded leaves it at once.
  const notices = inbox.data?.pages.flatMap((page) => page.items).filter((notice) => filter === "all" || !notice.read);

  const setFilter = (next: string) => {
    const query = new URLSearchParams(params);
    if (next === "unread") query.set("filter", "unread");
    else query.delete("filter");
    setParams(query, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t("notifications.title")}
        description={t("notifications.description")}
        actions={
          <>
            <Button variant="outline" size="sm" asChild>
              <Link to="/settings/notifications" data-testid="notifications-preferences">
                <SettingsIcon /> {t("notifications.preferences.link")}
              </Link>
            </Button>
            <Button
              size="sm"
              disabled={unread === 0 || markAll.isPending}
              onClick={() => markAll.mutate(undefined, { onError: (error) => toast.error(errorMessage(error)) })}
              data-testid="notifications-mark-all"
            >
              {markAll.isPending ? <Spinner /> : <CheckCheckIcon />}
              {t("notifications.markAllRead")}
            </Button>
          </>
        }
      />
      <Tabs value={filter} onValueChange={setFilter}>
        <TabsList>
          <TabsTrigger value="all" data-testid="notifications-filter-all">
            {t("common.all")}
          </TabsTrigger>
          <TabsTrigger value="unread" data-testid="notifications-filter-unread">
            {t("notifications.unreadTab", { count: unread })}
          </TabsTrigger>
        </TabsList>
      </Tabs>
      <Card data-testid="notifications">
        {inbox.isPending ? (
          <div className="space-y-3 p-4">
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-14 w-full" />
          </div>
        ) : inbox.isError ? (
          <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
        ) : notices && notices.length > 0 ? (
          <div className="divide-y p-1">
            {notices.map((notice) => (
              <NoticeItem key={notice.id} notice={notice} now={now} />
            ))}
          </div>
        ) : (
          <EmptyState
            icon={BellOffIcon}
            title={t(filter === "unread" ? "notifications.emptyUnreadTitle" : "notifications.emptyTitle")}
            description={t(filter === "unread" ? "notifications.emptyUnreadText" : "notifications.emptyText")}
            className="py-16"
          />
        )}
        {inbox.hasNextPage ? (
          <div className="flex justify-center border-t p-3">
            <Button variant="outline" size="sm" onClick={() => void inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage} data-testid="notifications-more">
              {inbox.isFetchingNextPage ? <Spinner /> : <ChevronsDownIcon />}
              {t("notifications.loadMore")}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}
