/** A body as received (a JSON answer, a webhook payload, plain text), indented when it is JSON. */
export function prettyBody(body: string): string {
  const text = body.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return body;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // The first KiB of a long JSON answer is cut mid-way: shown as it came.
    return body;
  }
}
