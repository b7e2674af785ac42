import { InboxIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { MonitorQueue } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { useQueueMessages } from "@/features/monitor/use-monitor";
import { queueLabel } from "@/features/operations/operation-labels";
import { prettyBody } from "@/features/operations/response-body";
import { formatDateTime } from "@/lib/format";

/** A look at the first messages of a queue: what they carry and how often they were received. */
export function QueueMessagesDialog({ queue, onClose }: { queue: MonitorQueue | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const messages = useQueueMessages(queue?.key ?? null);
  return (
    <Dialog open={queue !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="max-h-[90vh] max-w-3xl overflow-y-auto" data-testid="monitor-messages">
        <DialogHeader>
          <DialogTitle>{t("monitor.messages.title", { queue: queue ? queueLabel(t, queue.key) : "" })}</DialogTitle>
          <DialogDescription>{t("monitor.messages.text")}</DialogDescription>
        </DialogHeader>
        {messages.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : messages.isError ? (
          <ErrorState error={messages.error} onRetry={() => void messages.refetch()} />
        ) : messages.data.items.length === 0 ? (
          <EmptyState icon={InboxIcon} title={t("monitor.messages.emptyTitle")} className="py-8" />
        ) : (
          <ol className="space-y-2">
            {messages.data.items.map((message) => (
              <li key={message.message_id} className="space-y-2 rounded-lg border p-3 text-sm" data-testid="monitor-message">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
                  <span className="font-mono">{message.message_id}</span>
                  <span>{formatDateTime(message.sent_at, i18n.language)}</span>
                  <span>{t("monitor.messages.received", { n: message.receive_count })}</span>
                  {message.op_id ? <span className="font-mono">{t("monitor.messages.operation", { id: message.op_id })}</span> : null}
                </div>
                <pre className="max-h-48 overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs whitespace-pre-wrap">
                  <UserText value={prettyBody(message.body)} />
                </pre>
              </li>
            ))}
          </ol>
        )}
      </DialogContent>
    </Dialog>
  );
}
