import { z } from "zod";

/** Field rules shared by every auth form; messages are i18n keys. */
export const emailField = z.string().trim().min(1, "validation.required").email("validation.email");
export const passwordField = z.string().min(10, "validation.passwordMin").max(128, "validation.passwordMax");
export const requiredText = z.string().trim().min(1, "validation.required").max(200, "validation.tooLong");

/** Adds a "confirm" field that must repeat "password". */
export function withConfirmation<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...shape, password: passwordField, confirm: z.string() }).refine(
    (values) => {
      // Generic object shapes hide these two fields from the checker; they are always present.
      const { password, confirm } = values as unknown as { password: string; confirm: string };
      return password === confirm;
    },
    { message: "validation.passwordsMatch", path: ["confirm"] },
  );
}

/** A 6-digit TOTP code or a recovery code as the API issues them: two groups of five, like `abcde-fghjk`. */
export const mfaCodeField = z
  .string()
  .trim()
  .regex(/^(\d{6}|[A-Za-z0-9]{5}-[A-Za-z0-9]{5})$/, "validation.mfaCode");

export const totpField = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "validation.totp");
