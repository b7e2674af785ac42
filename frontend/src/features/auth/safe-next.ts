/** Where to go after signing in: only a same-site path, never an absolute URL. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return "/";
  return next;
}
