import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { UserText } from "@/components/user-text";
import { BarList } from "@/features/stats/bar-list";

const SPOOFED = "invoice\u202Efdp.exe";
const ANY_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe("UserText", () => {
  it("isolates the text and shows its bidi controls instead of obeying them", () => {
    const html = renderToStaticMarkup(<UserText value={SPOOFED} />);
    expect(html).not.toMatch(ANY_CONTROL);
    expect(html).toBe(
      '<bdi>invoice<span class="rounded-sm bg-warning/15 px-0.5 font-mono text-[0.8em]" title="U+202E" data-bidi-control="U+202E">[U+202E]</span>fdp.exe</bdi>',
    );
  });

  it("shows a dash for nothing, and plain text as it is", () => {
    expect(renderToStaticMarkup(<UserText value={null} />)).toBe('<span class="text-muted-foreground">—</span>');
    expect(renderToStaticMarkup(<UserText value="Кроссовки שלום" />)).toBe("<bdi>Кроссовки שלום</bdi>");
  });
});

describe("a rendered report", () => {
  it("shows a visitor's spoofed sub-id with its control visible, in the bar list of the top sub-ids", () => {
    const html = renderToStaticMarkup(<BarList bars={[{ key: SPOOFED, label: SPOOFED, value: 3, display: "3" }]} testId="top-subs" />);
    const shown = html.replace(/data-key="[^"]*"/, ""); // the key attribute carries the value as stored, for filtering
    expect(shown).not.toMatch(ANY_CONTROL);
    expect(shown).toContain('data-bidi-control="U+202E"');
  });
});
