import { AlertTriangleIcon, BanIcon, RotateCwIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "@/api/api-error";
import type { StatsQueryState } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { Spinner } from "@/components/ui/spinner";
import { formatBytes, formatDuration } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

type ProgressProps = {
  /** The running query; null while a changed report's first answer is awaited (nothing to tell yet). */
  query: StatsQueryState | null;
  cancelling: boolean;
  onCancel: (queryId: string) => void;
};

/** In place of the table while the analytics engine counts the report: how far it is, and a way to stop it. */
export function ReportQueryProgress({ query, cancelling, onCancel }: ProgressProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  // Athena tells the bytes it has read, not how far it is: the bar then sweeps.
  const percent = query?.progress != null ? query.progress * 100 : undefined;
  return (
    <div className="flex flex-col items-center gap-3 px-6 py-14 text-center" data-testid="report-query" data-state="running">
      <p className="font-medium">{t("reports.query.counting")}</p>
      <Progress value={percent} className="max-w-sm" aria-label={t("reports.query.counting")} data-testid="report-query-progress" />
      {query ? (
        <p className="text-sm text-muted-foreground tabular-nums" data-testid="report-query-figures">
          {t("reports.query.figures", { scanned: formatBytes(query.scanned_bytes, language), elapsed: formatDuration(query.elapsed_ms, language) })}
        </p>
      ) : null}
      <Button variant="outline" size="sm" disabled={!query || cancelling} onClick={() => query && onCancel(query.id)} data-testid="report-query-cancel">
        {cancelling ? <Spinner /> : <XIcon />} {cancelling ? t("reports.query.cancelling") : t("reports.query.cancel")}
      </Button>
    </div>
  );
}

/** In place of the table when the report's query was cancelled or failed: why, and a fresh start. */
export function ReportQueryEnded({ error, starting, onRunAgain }: { error: ApiError; starting: boolean; onRunAgain: () => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const cancelled = error.code === "query_cancelled";
  return (
    // Said once when it appears; the running panel is not live, or its figures would be read out every few seconds.
    <div role="status" data-testid="report-query" data-state={cancelled ? "cancelled" : "failed"}>
      <EmptyState
        icon={cancelled ? BanIcon : AlertTriangleIcon}
        title={cancelled ? t("reports.query.cancelledTitle") : t("reports.query.failedTitle")}
        description={cancelled ? t("reports.query.cancelledText") : message(error)}
        action={
          <Button variant="outline" size="sm" disabled={starting} onClick={onRunAgain} data-testid="report-query-run-again">
            {starting ? <Spinner /> : <RotateCwIcon />} {t("reports.query.runAgain")}
          </Button>
        }
      />
    </div>
  );
}
