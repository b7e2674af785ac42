import { describe, expect, it } from "vitest";
import { recoveryCodesFileName } from "@/features/account/recovery-codes";

describe("the recovery codes' file name", () => {
  it("names the brand the codes open", () => {
    expect(recoveryCodesFileName("Acme Partners")).toBe("acme-partners-recovery-codes.txt");
    expect(recoveryCodesFileName("Партнёры «Ромашка»")).toBe("партнёры-ромашка-recovery-codes.txt");
  });

  it("keeps nothing a file system might refuse, and falls back to the codes alone", () => {
    expect(recoveryCodesFileName(' ../a/b\\c:*?"<>| ')).toBe("a-b-c-recovery-codes.txt");
    expect(recoveryCodesFileName("***")).toBe("recovery-codes.txt");
  });
});
