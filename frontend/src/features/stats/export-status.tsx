import { DownloadIcon, FileDownIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import type { ExportJob, ExportRequest, ExportStatus } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { Spinner } from "@/components/ui/spinner";
import { isUnfinished, useCreateExport, useDownloadExport, useExportJob } from "@/features/stats/use-exports";
import { formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const STATUS_VARIANTS: Record<ExportStatus, BadgeVariant> = { queued: "neutral", running: "default", ready: "success", failed: "destructive" };

export function ExportStatusBadge({ status }: { status: ExportStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[status]} data-testid={`export-status-${status}`}>
      {isUnfinished({ status }) ? <Spinner className="size-3" /> : <span className="size-1.5 rounded-full bg-current" />}
      {t(`exports.status.${status}`)}
    </Badge>
  );
}

/** Where an export stands: rows written so far while it runs (the total is not known ahead), or why it failed. */
export function ExportProgress({ job }: { job: ExportJob }) {
  const { t, i18n } = useTranslation();
  const rows = t("exports.rows", { count: job.rows, rows: formatNumber(job.rows, i18n.language) });
  return (
    <div className="min-w-36 space-y-1.5" data-testid="export-progress" data-status={job.status} data-rows={job.rows}>
      <ExportStatusBadge status={job.status} />
      {isUnfinished(job) ? (
        <>
          <Progress className="w-36" />
          <div className="text-xs text-muted-foreground tabular-nums">{rows}</div>
        </>
      ) : job.status === "ready" ? (
        <div className="text-xs text-muted-foreground tabular-nums">{rows}</div>
      ) : job.error ? (
        <div className="max-w-72 text-xs break-words text-destructive" data-testid="export-error">
          {job.error}
        </div>
      ) : null}
    </div>
  );
}

export function DownloadExportButton({ job, size = "sm" }: { job: ExportJob; size?: "sm" | "default" }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const download = useDownloadExport();
  return (
    <Button
      size={size}
      variant="outline"
      disabled={job.status !== "ready" || download.isPending}
      onClick={() => download.mutate(job.id, { onError: (error) => toast.error(errorMessage(error)) })}
      data-testid={`export-download-${job.id}`}
    >
      {download.isPending ? <Spinner /> : <DownloadIcon />}
      {t("exports.download")}
    </Button>
  );
}

/** "Export CSV" for what a page shows; the export's progress follows beside it, then its download. */
export function ExportButton({ request, disabled = false }: { request: ExportRequest; disabled?: boolean }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const create = useCreateExport();
  const [exportId, setExportId] = useState<string | null>(null);
  const job = useExportJob(exportId);
  const shown = job.data;
  return (
    <div className="flex items-center gap-3" data-testid="export-inline">
      {shown ? (
        <div className="flex items-center gap-2 text-sm whitespace-nowrap" data-testid="export-inline-status" data-status={shown.status}>
          {shown.status === "ready" ? (
            <DownloadExportButton job={shown} />
          ) : shown.status === "failed" ? (
            <span className="text-destructive">{t("exports.failedShort")}</span>
          ) : (
            <span className="inline-flex items-center gap-1.5 text-muted-foreground tabular-nums">
              <Spinner /> {t("exports.building", { count: shown.rows, rows: formatNumber(shown.rows, i18n.language) })}
            </span>
          )}
          <Link to="/exports" className="text-xs text-primary underline-offset-4 hover:underline" data-testid="export-inline-all">
            {t("exports.all")}
          </Link>
        </div>
      ) : null}
      <Button
        variant="outline"
        disabled={disabled || create.isPending || isUnfinished(shown)}
        onClick={() =>
          create.mutate(request, {
            onSuccess: (created) => {
              setExportId(created.id);
              toast.success(t("exports.started"));
            },
            onError: (error) => toast.error(errorMessage(error)),
          })
        }
        data-testid="export-csv"
      >
        {create.isPending ? <Spinner /> : <FileDownIcon />}
        {t("exports.button")}
      </Button>
    </div>
  );
}
