import { describe, expect, it } from "vitest";
import { prettyBody } from "@/features/operations/response-body";

describe("prettyBody", () => {
  it("indents a JSON object", () => {
    expect(prettyBody('{"ok":true,"ids":[1,2]}')).toBe('{\n  "ok": true,\n  "ids": [\n    1,\n    2\n  ]\n}');
  });

  it("shows plain text and HTML as they came", () => {
    expect(prettyBody("OK")).toBe("OK");
    expect(prettyBody("<html>502 Bad Gateway</html>")).toBe("<html>502 Bad Gateway</html>");
  });

  it("shows a JSON answer cut in the middle as it came", () => {
    expect(prettyBody('{"items":[{"a":1},{"a"')).toBe('{"items":[{"a":1},{"a"');
  });

  it("keeps an empty body empty", () => {
    expect(prettyBody("")).toBe("");
  });
});
