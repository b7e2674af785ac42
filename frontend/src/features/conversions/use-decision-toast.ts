import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { ConversionDecisionOutcome, ConversionDecisionStatus } from "@/api/types";

/** Tells the user what a decision changed, and how many conversions it could not change and why. */
export function useDecisionToast(): (status: ConversionDecisionStatus, outcome: ConversionDecisionOutcome) => void {
  const { t } = useTranslation();
  return useCallback(
    (status, outcome) => {
      const failed = outcome.results.filter((result) => !result.ok);
      if (outcome.updated > 0) toast.success(t(`conversions.toast.${status}`, { count: outcome.updated }));
      if (failed.length > 0) {
        toast.warning(t("conversions.toast.notChanged", { count: failed.length }), { description: failed[0]?.error ?? undefined });
      }
      if (outcome.updated === 0 && failed.length === 0) toast.info(t("conversions.toast.nothingChanged"));
    },
    [t],
  );
}
