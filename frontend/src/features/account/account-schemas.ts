import { z } from "zod";
import { mfaCodeField, passwordField, totpField } from "@/features/auth/schemas";

const currentPassword = z.string().min(1, "validation.required");

/** Changing the password: the current one (the API counts wrong guesses toward lock-out), the new one twice. */
export const passwordChangeSchema = z
  .object({ current_password: currentPassword, new_password: passwordField, confirm: z.string() })
  .refine((values) => values.new_password === values.confirm, { message: "validation.passwordsMatch", path: ["confirm"] });
export type PasswordChangeValues = z.infer<typeof passwordChangeSchema>;

/** Turning 2FA on: the account's password and a code from the freshly set-up authenticator. */
export const mfaEnableSchema = z.object({ password: currentPassword, code: totpField });
export type MfaEnableValues = z.infer<typeof mfaEnableSchema>;

/** Turning 2FA off: the password and a code (or a recovery code). */
export const mfaDisableSchema = z.object({ password: currentPassword, code: mfaCodeField });
export type MfaDisableValues = z.infer<typeof mfaDisableSchema>;
