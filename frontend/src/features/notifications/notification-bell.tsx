import { BellIcon, CheckCheckIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import { ErrorState } from "@/components/error-state";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { NoticeItem } from "@/features/notifications/notice-item";
import { unreadBadge } from "@/features/notifications/unread-badge";
import { useNow } from "@/features/notifications/use-now";
import { useLatestNotices, useMarkAllRead, useUnreadCount } from "@/features/notifications/use-notifications";
import { useErrorMessage } from "@/lib/use-error-message";

/** The top bar's bell: how many notices are unread, and the newest of them a click away. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const count = unread.data?.unread ?? 0;
  const badge = unreadBadge(count);
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          className="relative"
          aria-label={badge ? t("notifications.bellUnread", { count }) : t("notifications.bell")}
          data-testid="notification-bell"
        >
          <BellIcon />
          {badge ? (
            <span
              className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-destructive px-1 text-[10px] leading-none font-semibold text-destructive-foreground tabular-nums"
              data-testid="notification-badge"
            >
              {badge}
            </span>
          ) : null}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-[22rem] max-w-[calc(100vw-2rem)] p-0" data-testid="notification-panel">
        <LatestNotices open={open} unread={count} close={() => setOpen(false)} />
      </PopoverContent>
    </Popover>
  );
}

function LatestNotices({ open, unread, close }: { open: boolean; unread: number; close: () => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const latest = useLatestNotices(open);
  const markAll = useMarkAllRead();
  const now = useNow(30_000);
  return (
    <>
      <div className="flex items-center justify-between gap-2 border-b px-3 py-2">
        <p className="text-sm font-semibold">{t("notifications.title")}</p>
        <Button
          variant="ghost"
          size="sm"
          disabled={unread === 0 || markAll.isPending}
          onClick={() => markAll.mutate(undefined, { onError: (error) => toast.error(errorMessage(error)) })}
          data-testid="notification-mark-all"
        >
          {markAll.isPending ? <Spinner /> : <CheckCheckIcon />}
          {t("notifications.markAllRead")}
        </Button>
      </div>
      <div className="max-h-[26rem] overflow-y-auto p-1">
        {latest.isPending ? (
          <div className="space-y-2 p-2">
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : latest.isError ? (
          <ErrorState error={latest.error} onRetry={() => void latest.refetch()} />
        ) : latest.data.items.length === 0 ? (
          <p className="px-3 py-8 text-center text-sm text-muted-foreground" data-testid="notification-panel-empty">
            {t("notifications.emptyTitle")}
          </p>
        ) : (
          latest.data.items.map((notice) => <NoticeItem key={notice.id} notice={notice} now={now} onOpen={close} compact />)
        )}
      </div>
      <div className="border-t p-1">
        <Button variant="ghost" size="sm" className="w-full" asChild>
          <Link to="/notifications" onClick={close} data-testid="notification-see-all">
            {t("notifications.seeAll")}
          </Link>
        </Button>
      </div>
    </>
  );
}
