import { RotateCcwIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { LoggedWork, OperationAttempt } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { ErrorState } from "@/components/error-state";
import { Facts } from "@/components/facts";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { ClickLink } from "@/features/clicks/click-link";
import { attemptsOf, eventLabel, operationTypeLabel } from "@/features/operations/operation-labels";
import { AttemptOutcomeBadge, OperationStatusBadge } from "@/features/operations/operation-status-badge";
import { prettyBody } from "@/features/operations/response-body";
import { useOperation, useReplayOperation, type WorkSource } from "@/features/operations/use-operations";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

type OperationDetailDialogProps<Row extends LoggedWork> = {
  source: WorkSource<Row>;
  /** The delivery or operation as the list showed it; null closes the dialog. */
  operation: Row | null;
  onClose: () => void;
  canReplay: (row: Row) => boolean;
};

/** Ids, and text from elsewhere (a URL, an answer): isolated, bidi controls shown. */
const mono = (value: string) => <UserText value={value} className="font-mono text-xs break-all" />;

/** Everything about one delivery or operation: where it went, every attempt and its answer; and a replay. */
export function OperationDetailDialog<Row extends LoggedWork>({ source, operation, onClose, canReplay }: OperationDetailDialogProps<Row>) {
  const { t } = useTranslation();
  const detail = useOperation(source, operation);
  const shown = detail.data ?? operation;
  return (
    <Dialog open={operation !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="max-h-[90vh] max-w-3xl overflow-y-auto [&>*]:min-w-0" data-testid="delivery-detail">
        {shown ? (
          <>
            <DialogHeader>
              <DialogTitle className="flex flex-wrap items-center gap-2">
                {"type" in shown && shown.type !== "postback"
                  ? operationTypeLabel(t, shown.type)
                  : t("operations.detail.deliveryTitle", { event: eventLabel(t, shown.event) })}
                <OperationStatusBadge status={shown.status} />
              </DialogTitle>
              <DialogDescription className="font-mono text-xs break-all">{source.idOf(shown)}</DialogDescription>
            </DialogHeader>
            {detail.isError ? <ErrorState error={detail.error} onRetry={() => void detail.refetch()} /> : null}
            <OperationFacts operation={shown} />
            <Attempts attempts={shown.history} />
            {canReplay(shown) ? (
              <DialogFooter>
                <ReplayButton source={source} operation={shown} />
              </DialogFooter>
            ) : null}
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function OperationFacts({ operation }: { operation: LoggedWork }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const rows: [string, ReactNode][] = [
    [t("operations.fields.created"), formatDateTime(operation.created_at, language)],
    [t("operations.fields.attempts"), attemptsOf(operation)],
  ];
  if (operation.next_attempt_at) rows.push([t("operations.fields.nextAttempt"), formatDateTime(operation.next_attempt_at, language)]);
  if (operation.finished_at) rows.push([t("operations.fields.finished"), formatDateTime(operation.finished_at, language)]);
  if (operation.replays > 0) rows.push([t("operations.fields.replays"), formatNumber(operation.replays, language)]);
  if (operation.url) rows.push([t("operations.fields.url"), mono(`${operation.method} ${operation.url}`)]);
  if (operation.format) rows.push([t("operations.fields.format"), t(`postbacks.formats.${operation.format}`, { defaultValue: operation.format })]);
  if (operation.click_id) rows.push([t("operations.fields.click"), <ClickLink clickId={operation.click_id} />]);
  if (operation.conversion_id) rows.push([t("operations.fields.conversion"), mono(operation.conversion_id)]);
  if (operation.offer_id) rows.push([t("operations.fields.offer"), mono(operation.offer_id)]);
  if (operation.advertiser_id) rows.push([t("operations.fields.advertiser"), mono(operation.advertiser_id)]);
  // What only the operations log keeps: a job's subject, its counts, what it was handed.
  const logged = "op_id" in operation ? operation : null;
  if (logged?.subject_id && logged.type !== "postback") rows.push([t("operations.fields.subject"), mono(`${logged.subject_type} ${logged.subject_id}`)]);
  for (const [name, value] of Object.entries(logged?.detail ?? {})) rows.push([name, formatNumber(value, language)]);
  if (operation.last_error) rows.push([t("operations.fields.lastError"), <UserText value={operation.last_error} className="text-destructive" />]);
  if (logged?.payload)
    rows.push([
      t("operations.fields.payload"),
      <pre className="max-h-64 overflow-auto rounded bg-muted p-2 text-xs whitespace-pre-wrap break-all" data-testid="operation-payload">
        <UserText value={prettyBody(logged.payload)} />
      </pre>,
    ]);
  return <Facts rows={rows} />;
}

function Attempts({ attempts }: { attempts: OperationAttempt[] }) {
  const { t } = useTranslation();
  return (
    <section className="space-y-2">
      <h4 className="text-sm font-medium">{t("operations.detail.attempts")}</h4>
      {attempts.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("operations.detail.noAttempts")}</p>
      ) : (
        <ol className="space-y-2">
          {attempts.map((attempt) => (
            <Attempt key={attempt.number} attempt={attempt} />
          ))}
        </ol>
      )}
    </section>
  );
}

function Attempt({ attempt }: { attempt: OperationAttempt }) {
  const { t, i18n } = useTranslation();
  const body = prettyBody(attempt.response);
  return (
    <li className="min-w-0 space-y-2 rounded-lg border p-3 text-sm" data-testid="delivery-attempt" data-ok={attempt.ok}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium">{t("operations.detail.attempt", { number: attempt.number })}</span>
        <AttemptOutcomeBadge ok={attempt.ok} />
        {attempt.http_status !== null ? <span className="font-mono text-xs">HTTP {attempt.http_status}</span> : null}
        <span className="text-xs text-muted-foreground tabular-nums">{t("operations.latency", { ms: attempt.latency_ms })}</span>
        <span className="ml-auto text-xs text-muted-foreground">{formatDateTime(attempt.at, i18n.language)}</span>
      </div>
      {attempt.error_class || attempt.error ? (
        <p className="text-xs text-destructive">
          {attempt.error_class ? <span className="font-mono">{attempt.error_class}</span> : null}
          {attempt.error_class && attempt.error ? ": " : null}
          <UserText value={attempt.error} fallback="" />
        </p>
      ) : null}
      {attempt.url ? <UserText value={attempt.url} className="block font-mono text-xs break-all text-muted-foreground" /> : null}
      {body ? (
        <pre className="max-h-48 overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs break-all whitespace-pre-wrap">
          <UserText value={body} />
        </pre>
      ) : null}
    </li>
  );
}

function ReplayButton<Row extends LoggedWork>({ source, operation }: { source: WorkSource<Row>; operation: Row }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const replay = useReplayOperation(source);
  return (
    <Confirm
      trigger={
        <Button disabled={replay.isPending} data-testid="delivery-replay">
          {replay.isPending ? <Spinner /> : <RotateCcwIcon />}
          {t("operations.replay")}
        </Button>
      }
      title={t("operations.replayTitle")}
      description={t("operations.replayText")}
      confirmLabel={t("operations.replay")}
      onConfirm={() =>
        replay.mutate(source.idOf(operation), {
          onSuccess: () => toast.success(t("operations.replayed")),
          onError: (error) => toast.error(errorMessage(error)),
        })
      }
      testId="delivery-replay-confirm"
    />
  );
}
