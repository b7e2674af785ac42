import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "@/api/api-error";

/**
 * The text to show for a failed call: the API's own message when it sent one, else a translated
 * text for its error code.
 */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        if (error.message) return error.message;
        return t(`errors.codes.${error.code}`, { defaultValue: t("errors.generic") });
      }
      return t("errors.generic");
    },
    [t],
  );
}
