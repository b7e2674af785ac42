/**
 * Where a notice leads inside the dashboard; null for anything that is not one of its own paths, so a
 * notice can never send the reader to another site ("//evil.example", "https://…", "javascript:").
 */
export function noticeHref(link: string): string | null {
  return /^\/(?![/\\])[^\s]*$/.test(link) ? link : null;
}
