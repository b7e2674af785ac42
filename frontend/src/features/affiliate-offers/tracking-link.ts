/** The sub-parameters an affiliate can attach to a click: sub1 … sub10. */
export const SUB_KEYS = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"] as const;
export type SubKey = (typeof SUB_KEYS)[number];
export type Subs = Partial<Record<SubKey, string>>;

/**
 * The link an affiliate shares: the offer's tracking link plus each filled sub, in sub order and
 * URL-encoded. Blank subs are left out, so the tracker stores them as absent rather than empty.
 */
export function buildTrackingLink(trackingLink: string, subs: Subs): string {
  const query = SUB_KEYS.flatMap((key) => {
    const value = subs[key]?.trim();
    return value ? [`${key}=${encodeURIComponent(value)}`] : [];
  }).join("&");
  if (!query) return trackingLink;
  const separator = !trackingLink.includes("?") ? "?" : /[?&]$/.test(trackingLink) ? "" : "&";
  return `${trackingLink}${separator}${query}`;
}
