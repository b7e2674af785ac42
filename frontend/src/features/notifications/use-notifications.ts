import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { NoticePage, NotificationPreferences, PreferencesInput, UnreadCount } from "@/api/types";

/** The bell asks this often (and when the window gets focus again); the inbox is read when opened. */
export const UNREAD_POLL_MS = 60_000;
/** While a Telegram code waits to be used, the screen asks whether the chat got linked this often. */
export const TELEGRAM_POLL_MS = 3_000;
const PAGE_SIZE = 20;
/** The bell's panel shows the newest few; the inbox page has the rest. */
export const LATEST_COUNT = 10;

export const notificationKeys = {
  all: ["notifications"] as const,
  unread: ["notifications", "unread"] as const,
  latest: ["notifications", "latest"] as const,
  inbox: ["notifications", "inbox"] as const,
  preferences: ["notification-preferences"] as const,
};

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => unwrap(api.GET("/api/notifications/unread")),
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

/** Notices are written at read time in the language the dashboard shows now (switching it re-reads them). */
function useNoticeLanguage(): "en" | "ru" {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === "ru" ? "ru" : "en";
}

/** The newest notices for the bell's panel, read each time it opens. */
export function useLatestNotices(open: boolean) {
  const lang = useNoticeLanguage();
  return useQuery({
    queryKey: [...notificationKeys.latest, lang],
    queryFn: () => unwrap(api.GET("/api/notifications", { params: { query: { limit: LATEST_COUNT, lang } } })),
    enabled: open,
    staleTime: 0,
  });
}

/** The inbox (or its unread notices alone), newest first, a page at a time (`fetchNextPage` follows the server's cursor). */
export function useInbox(unreadOnly: boolean) {
  const lang = useNoticeLanguage();
  return useInfiniteQuery({
    queryKey: [...notificationKeys.inbox, unreadOnly ? "unread" : "all", lang],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/notifications", { params: { query: { cursor: pageParam, limit: PAGE_SIZE, unread: unreadOnly || undefined, lang } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page: NoticePage) => page.next_cursor ?? undefined,
  });
}

/** Marks every loaded copy of the notices read (`id` one, or all) and takes the count the API answered. */
function markedRead(unread: UnreadCount, id: string | null) {
  queryClient.setQueryData(notificationKeys.unread, unread);
  const read = (page: NoticePage): NoticePage => ({
    ...page,
    unread: unread.unread,
    items: page.items.map((notice) => (id === null || notice.id === id ? { ...notice, read: true } : notice)),
  });
  queryClient.setQueriesData<NoticePage>({ queryKey: notificationKeys.latest }, (page) => (page ? read(page) : page));
  queryClient.setQueriesData<{ pages: NoticePage[]; pageParams: (string | null)[] }>({ queryKey: notificationKeys.inbox }, (data) =>
    data ? { ...data, pages: data.pages.map(read) } : data,
  );
}

export function useMarkRead() {
  return useMutation({
    mutationFn: (noticeId: string) => unwrap(api.POST("/api/notifications/{notice_id}/read", { params: { path: { notice_id: noticeId } } })),
    onSuccess: (unread, id) => markedRead(unread, id),
  });
}

export function useMarkAllRead() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/notifications/read-all")),
    onSuccess: (unread) => markedRead(unread, null),
  });
}

/** The caller's preferences; while a Telegram code waits, asked again until the chat is linked. */
export function useNotificationPreferences(waitingForTelegram = false) {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: () => unwrap(api.GET("/api/notifications/preferences")),
    refetchInterval: (query) => (waitingForTelegram && !query.state.data?.telegram.linked ? TELEGRAM_POLL_MS : false),
  });
}

const keepPreferences = (preferences: NotificationPreferences) => queryClient.setQueryData(notificationKeys.preferences, preferences);

export function useSavePreferences() {
  return useMutation({
    mutationFn: (body: PreferencesInput) => unwrap(api.PUT("/api/notifications/preferences", { body })),
    onSuccess: keepPreferences,
  });
}

export function useLinkTelegram() {
  return useMutation({ mutationFn: () => unwrap(api.POST("/api/notifications/telegram/link")) });
}

export function useUnlinkTelegram() {
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/notifications/telegram")),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences }),
  });
}
