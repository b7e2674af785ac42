import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { UserText } from "@/components/user-text";
import type { Notice } from "@/api/types";
import { noticeHref } from "@/features/notifications/notice-link";
import { relativeTime } from "@/features/notifications/relative-time";
import { useMarkRead } from "@/features/notifications/use-notifications";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/format";

type NoticeItemProps = {
  notice: Notice;
  now: Date;
  /** Called after the notice was opened (the bell closes its panel). */
  onOpen?: () => void;
  compact?: boolean;
};

/** One notice: title, body, how long ago, and a dot while unread; opening it marks it read and goes to its page. */
export function NoticeItem({ notice, now, onOpen, compact = false }: NoticeItemProps) {
  const { t, i18n } = useTranslation();
  const markRead = useMarkRead();
  const href = noticeHref(notice.link);
  const open = () => {
    if (!notice.read) markRead.mutate(notice.id);
    onOpen?.();
  };
  const content = (
    <>
      <span
        aria-hidden
        className={cn("mt-1.5 size-2 shrink-0 rounded-full", notice.read ? "bg-transparent" : "bg-primary")}
        data-testid={notice.read ? undefined : "notice-unread-dot"}
      />
      <span className="min-w-0 flex-1 space-y-0.5">
        <span className={cn("block text-sm", notice.read ? "text-foreground/80" : "font-medium")}>
          <UserText value={notice.title} />
        </span>
        <span className={cn("block text-xs text-muted-foreground", compact && "line-clamp-2")}>
          <UserText value={notice.body} />
        </span>
        <time dateTime={notice.created_at} title={formatDateTime(notice.created_at, i18n.language)} className="block text-xs text-muted-foreground/80">
          {relativeTime(notice.created_at, now, i18n.language)}
        </time>
      </span>
      {notice.read ? null : <span className="sr-only">{t("notifications.unreadLabel")}</span>}
    </>
  );
  const className = cn(
    "flex w-full items-start gap-3 rounded-md px-3 py-2.5 text-left transition-colors hover:bg-accent focus-visible:bg-accent focus-visible:outline-none",
  );
  const attributes = { "data-testid": "notice", "data-read": notice.read, "data-notice-id": notice.id };
  return href ? (
    <Link to={href} onClick={open} className={className} {...attributes}>
      {content}
    </Link>
  ) : (
    <button type="button" onClick={open} className={className} {...attributes}>
      {content}
    </button>
  );
}
