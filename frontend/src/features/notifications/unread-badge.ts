/** The most the bell's badge counts to; beyond it the badge says "99+". */
const BADGE_LIMIT = 99;

/** The text of the bell's badge: nothing when all is read, the count, or "99+" past the limit. */
export function unreadBadge(unread: number | undefined): string | null {
  if (unread === undefined || !Number.isFinite(unread) || unread <= 0) return null;
  return unread > BADGE_LIMIT ? `${BADGE_LIMIT}+` : String(Math.floor(unread));
}
