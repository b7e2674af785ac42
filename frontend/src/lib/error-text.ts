import type { TFunction } from "i18next";
import { ApiError } from "@/api/api-error";
import type { ErrorCode } from "@/api/types";

/**
 * Codes whose server detail tells the reader what to fix (which field, what exists already, which
 * address was refused); the detail is the server's English words, so it follows the translated text.
 */
const DETAILED_CODES: ReadonlySet<string> = new Set<ErrorCode>(["validation_error", "conflict", "unsafe_destination"]);

/** The text to show for a failed call: its error code's text in the reader's language, and for a few codes the server's detail. */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.generic");
  const text = t(`errors.codes.${error.code}`, { defaultValue: "" }) || t("errors.generic");
  return DETAILED_CODES.has(error.code) && error.detail ? `${text} ${error.detail}` : text;
}
