import { AlertTriangleIcon, RotateCwIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/empty-state";
import { useErrorMessage } from "@/lib/use-error-message";

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <EmptyState
      icon={AlertTriangleIcon}
      title={t("errors.loadFailed")}
      description={message(error)}
      action={
        onRetry ? (
          <Button variant="outline" size="sm" onClick={onRetry}>
            <RotateCwIcon /> {t("common.retry")}
          </Button>
        ) : null
      }
    />
  );
}
