import { describe, expect, it } from "vitest";
import { readCookie } from "@/api/session-store";

describe("readCookie", () => {
  it("finds a cookie among the page's, by its exact name", () => {
    const cookies = "theme=dark; pk_csrf=abc=def; pk_csrf_old=zzz";
    expect(readCookie("pk_csrf", cookies)).toBe("abc=def");
    expect(readCookie("theme", cookies)).toBe("dark");
    expect(readCookie("pk", cookies)).toBeNull();
    expect(readCookie("pk_csrf", "")).toBeNull();
  });
});
