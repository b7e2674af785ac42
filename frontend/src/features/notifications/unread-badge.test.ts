import { describe, expect, it } from "vitest";
import { unreadBadge } from "@/features/notifications/unread-badge";

describe("the bell's badge", () => {
  it("shows nothing while everything is read or the count has not arrived", () => {
    expect(unreadBadge(0)).toBeNull();
    expect(unreadBadge(undefined)).toBeNull();
    expect(unreadBadge(-3)).toBeNull();
  });

  it("counts up to 99 and says 99+ beyond", () => {
    expect(unreadBadge(1)).toBe("1");
    expect(unreadBadge(99)).toBe("99");
    expect(unreadBadge(100)).toBe("99+");
    expect(unreadBadge(12_345)).toBe("99+");
  });
});
