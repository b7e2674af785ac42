import { describe, expect, it } from "vitest";
import { mfaDisableSchema, mfaEnableSchema, passwordChangeSchema } from "@/features/account/account-schemas";

const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("turning 2FA on", () => {
  it("asks for the current password as well as the code", () => {
    expect(problems(mfaEnableSchema.safeParse({ code: "123456" }))).toContain("password: Invalid input: expected string, received undefined");
    expect(problems(mfaEnableSchema.safeParse({ password: "", code: "123456" }))).toEqual(["password: validation.required"]);
    expect(problems(mfaEnableSchema.safeParse({ password: "s3cure-passw0rd", code: "123456" }))).toEqual([]);
  });

  it("takes only a 6-digit code from the authenticator", () => {
    expect(problems(mfaEnableSchema.safeParse({ password: "s3cure-passw0rd", code: "12345" }))).toEqual(["code: validation.totp"]);
  });
});

describe("changing the password", () => {
  it("asks for the current password and the new one twice", () => {
    const values = { current_password: "", new_password: "brand-new-passw0rd", confirm: "brand-new-passw0rd" };
    expect(problems(passwordChangeSchema.safeParse(values))).toEqual(["current_password: validation.required"]);
    expect(problems(passwordChangeSchema.safeParse({ ...values, current_password: "old-passw0rd!" }))).toEqual([]);
    expect(problems(passwordChangeSchema.safeParse({ ...values, current_password: "old", confirm: "other" }))).toEqual(["confirm: validation.passwordsMatch"]);
  });
});

describe("turning 2FA off", () => {
  it("accepts a TOTP code or a recovery code as the API issues them (two groups of five)", () => {
    for (const code of ["123456", "abcde-fghjk", "k2m4p-x9z3a"]) {
      expect(problems(mfaDisableSchema.safeParse({ password: "pw", code }))).toEqual([]);
    }
    for (const code of ["12345", "abcd-1234", "abcde fghjk"]) {
      expect(problems(mfaDisableSchema.safeParse({ password: "pw", code }))).toEqual(["code: validation.mfaCode"]);
    }
  });
});
