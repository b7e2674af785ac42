import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { errorText } from "@/lib/error-text";

/** The text to show for a failed call, in the reader's language (see `errorText`). */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback((error: unknown) => errorText(t, error), [t]);
}
