import { ChevronsDownIcon, SendIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LoggedWork } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { ClickLink } from "@/features/clicks/click-link";
import { OperationDetailDialog } from "@/features/operations/operation-detail-dialog";
import type { OperationFilters } from "@/features/operations/operation-filters";
import { attemptsOf, eventLabel, lastHttpStatus, operationTypeLabel } from "@/features/operations/operation-labels";
import { OperationStatusBadge } from "@/features/operations/operation-status-badge";
import { useOperationList, type WorkSource } from "@/features/operations/use-operations";
import { formatDateTime } from "@/lib/format";

type OperationsTableProps<Row extends LoggedWork> = {
  source: WorkSource<Row>;
  filters: OperationFilters;
  /** What else the server narrows the list by (an affiliate's current advertiser), for the cache. */
  scope?: string | null;
  canReplay: (row: Row) => boolean;
  /** Show the job type: the monitor lists stats batches beside postbacks. */
  withType?: boolean;
  testId: string;
  rowTestId: string;
  empty: { title: ReactNode; description: ReactNode };
};

/** Deliveries or operations newest first, a page at a time; a row opens its attempts. */
export function OperationsTable<Row extends LoggedWork>({
  source,
  filters,
  scope,
  canReplay,
  withType = false,
  testId,
  rowTestId,
  empty,
}: OperationsTableProps<Row>) {
  const { t, i18n } = useTranslation();
  const list = useOperationList(source, filters, { scope });
  const [selected, setSelected] = useState<Row | null>(null);
  const rows = list.data?.pages.flatMap((page) => page.items);

  const columns: Column<Row>[] = [
    { id: "created", header: t("operations.columns.created"), cell: (row) => formatDateTime(row.created_at, i18n.language), className: "whitespace-nowrap" },
    ...(withType ? [{ id: "type", header: t("operations.columns.type"), cell: (row: Row) => ("type" in row ? operationTypeLabel(t, row.type) : null) }] : []),
    { id: "event", header: t("operations.columns.event"), cell: (row) => eventLabel(t, row.event), className: "whitespace-nowrap" },
    { id: "status", header: t("operations.columns.status"), cell: (row) => <OperationStatusBadge status={row.status} /> },
    { id: "attempts", header: t("operations.columns.attempts"), cell: attemptsOf, className: "whitespace-nowrap tabular-nums" },
    {
      id: "http",
      header: t("operations.columns.http"),
      cell: (row) => <span className="font-mono text-xs">{lastHttpStatus(row) ?? "—"}</span>,
    },
    {
      id: "url",
      header: t("operations.columns.url"),
      cell: (row) =>
        row.url ? (
          <UserText value={row.url} className="block max-w-72 truncate font-mono text-xs text-muted-foreground" title={row.url} />
        ) : (
          <span className="text-muted-foreground">—</span>
        ),
    },
    {
      id: "click",
      header: t("operations.columns.click"),
      // The link opens the click; the row around it opens the delivery.
      cell: (row) =>
        row.click_id ? (
          <span onClick={(event) => event.stopPropagation()}>
            <ClickLink clickId={row.click_id} />
          </span>
        ) : null,
    },
  ];

  return (
    <>
      <Card data-testid={testId}>
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={source.idOf}
          rowTestId={() => rowTestId}
          rowAttributes={(row) => ({ "data-status": row.status, "data-event": row.event, [source.idAttribute]: source.idOf(row) })}
          onRowClick={setSelected}
          isLoading={list.isPending}
          error={list.error}
          onRetry={() => void list.refetch()}
          empty={{ icon: SendIcon, ...empty }}
        />
        {list.hasNextPage ? (
          <div className="flex justify-center border-t p-3">
            <Button variant="outline" size="sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid={`${testId}-more`}>
              {list.isFetchingNextPage ? <Spinner /> : <ChevronsDownIcon />}
              {t("operations.loadMore")}
            </Button>
          </div>
        ) : null}
      </Card>
      <OperationDetailDialog source={source} operation={selected} onClose={() => setSelected(null)} canReplay={canReplay} />
    </>
  );
}
