import { EyeIcon, InboxIcon, ListChecksIcon, RotateCcwIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { MonitorQueue, QueueKind } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { DataTable, type Column } from "@/components/data-table";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { QueueJobsDialog } from "@/features/monitor/queue-jobs-dialog";
import { QueueMessagesDialog } from "@/features/monitor/queue-messages-dialog";
import { queueAge } from "@/features/monitor/queue-age";
import { useRedrive } from "@/features/monitor/use-monitor";
import { operationTypeLabel, queueLabel } from "@/features/operations/operation-labels";
import { formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const KIND_VARIANTS: Record<QueueKind, BadgeVariant> = { work: "neutral", dlq: "destructive", failures: "warning" };

type QueuesCardProps = { queues: MonitorQueue[] | undefined; isLoading: boolean; error: unknown; onRetry: () => void };

/** Every queue of the orchestrator: what waits, what runs, what is stuck; dead letters can be sent back. */
export function QueuesCard({ queues, isLoading, error, onRetry }: QueuesCardProps) {
  const { t, i18n } = useTranslation();
  const [peeking, setPeeking] = useState<MonitorQueue | null>(null);
  const [listingJobs, setListingJobs] = useState<MonitorQueue | null>(null);
  const count = (value: number) => <span className="tabular-nums">{formatNumber(value, i18n.language)}</span>;

  const columns: Column<MonitorQueue>[] = [
    {
      id: "name",
      header: t("monitor.queues.name"),
      cell: (queue) => (
        <div className="min-w-0">
          <div className="font-medium">{queueLabel(t, queue.key)}</div>
          <div className="font-mono text-xs text-muted-foreground">{queue.name}</div>
        </div>
      ),
    },
    {
      id: "kind",
      header: t("monitor.queues.kind"),
      cell: (queue) => (
        <div className="space-y-1">
          <Badge variant={KIND_VARIANTS[queue.kind]}>{t(`monitor.kinds.${queue.kind}`)}</Badge>
          <div className="text-xs text-muted-foreground">{operationTypeLabel(t, queue.job)}</div>
        </div>
      ),
    },
    { id: "visible", header: t("monitor.queues.visible"), cell: (queue) => count(queue.visible), className: "text-right" },
    { id: "inFlight", header: t("monitor.queues.inFlight"), cell: (queue) => count(queue.in_flight), className: "text-right" },
    { id: "delayed", header: t("monitor.queues.delayed"), cell: (queue) => count(queue.delayed), className: "text-right" },
    {
      id: "oldest",
      header: t("monitor.queues.oldest"),
      cell: (queue) => <QueueAge seconds={queue.oldest_open_seconds} />,
      className: "text-right whitespace-nowrap",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (queue) => (
        <div className="flex justify-end gap-2">
          {/* The API says how a queue can be looked at without changing it; work queues are never read. */}
          {queue.inspect === "messages" ? (
            <Button size="sm" variant="ghost" onClick={() => setPeeking(queue)} data-testid={`monitor-peek-${queue.key}`}>
              <EyeIcon /> {t("monitor.queues.peek")}
            </Button>
          ) : queue.inspect === "jobs" ? (
            <Button size="sm" variant="ghost" onClick={() => setListingJobs(queue)} data-testid={`monitor-jobs-${queue.key}`}>
              <ListChecksIcon /> {t("monitor.queues.openJobs")}
            </Button>
          ) : null}
          {queue.kind === "dlq" ? <RedriveButton queue={queue} /> : null}
        </div>
      ),
    },
  ];

  return (
    <Card data-testid="monitor-queues">
      <CardHeader>
        <CardTitle>{t("monitor.queues.title")}</CardTitle>
        <CardDescription>{t("monitor.queues.text")}</CardDescription>
      </CardHeader>
      <DataTable
        columns={columns}
        rows={queues}
        rowKey={(queue) => queue.key}
        rowTestId={(queue) => `monitor-queue-${queue.key}`}
        rowAttributes={(queue) => ({ "data-kind": queue.kind })}
        isLoading={isLoading}
        error={error}
        onRetry={onRetry}
        empty={{ icon: InboxIcon, title: t("monitor.queues.emptyTitle") }}
      />
      <QueueMessagesDialog queue={peeking} onClose={() => setPeeking(null)} />
      <QueueJobsDialog queue={listingJobs} onClose={() => setListingJobs(null)} />
    </Card>
  );
}

function QueueAge({ seconds }: { seconds: number | null }) {
  const { t } = useTranslation();
  const age = queueAge(seconds);
  return age ? <span className="tabular-nums">{t(`monitor.age.${age.unit}`, { n: age.count })}</span> : <span className="text-muted-foreground">—</span>;
}

function RedriveButton({ queue }: { queue: MonitorQueue }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const redrive = useRedrive();
  return (
    <Confirm
      trigger={
        <Button size="sm" variant="outline" disabled={redrive.isPending} data-testid={`monitor-redrive-${queue.key}`}>
          {redrive.isPending ? <Spinner /> : <RotateCcwIcon />}
          {t("monitor.queues.redrive")}
        </Button>
      }
      title={t("monitor.queues.redriveTitle", { queue: queueLabel(t, queue.key) })}
      description={t("monitor.queues.redriveText")}
      confirmLabel={t("monitor.queues.redrive")}
      onConfirm={() =>
        redrive.mutate(queue.key, {
          onSuccess: (done) => toast.success(t("monitor.queues.redriven", { moved: done.moved, replayed: done.replayed })),
          onError: (error) => toast.error(errorMessage(error)),
        })
      }
      testId={`monitor-redrive-confirm-${queue.key}`}
    />
  );
}
