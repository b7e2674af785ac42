import { useTranslation } from "react-i18next";
import type { MonitorQueue, Operation } from "@/api/types";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { queueLabel } from "@/features/operations/operation-labels";
import { OperationsTable } from "@/features/operations/operations-table";
import { openJobsSource } from "@/features/operations/use-operations";

/** Open jobs are still running: none of them is replayed by hand. */
const neverReplayed = (_operation: Operation) => false;

/** A work queue's open jobs, oldest first, from the operations log: the queue itself is not read. */
export function QueueJobsDialog({ queue, onClose }: { queue: MonitorQueue | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={queue !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="max-h-[90vh] max-w-5xl overflow-y-auto" data-testid="monitor-jobs">
        <DialogHeader>
          <DialogTitle>{t("monitor.jobs.title", { queue: queue ? queueLabel(t, queue.key) : "" })}</DialogTitle>
          <DialogDescription>{t("monitor.jobs.text")}</DialogDescription>
        </DialogHeader>
        {queue ? (
          <OperationsTable
            source={openJobsSource(queue.key)}
            filters={{}}
            scope={queue.key}
            canReplay={neverReplayed}
            testId="monitor-jobs-table"
            rowTestId="monitor-job-row"
            empty={{ title: t("monitor.jobs.emptyTitle"), description: t("monitor.jobs.emptyText") }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
