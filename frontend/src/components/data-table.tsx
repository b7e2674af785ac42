import type { LucideIcon } from "lucide-react";
import type { KeyboardEvent, ReactNode } from "react";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";

export type Column<Row> = {
  id: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string;
};

export type DataTableProps<Row> = {
  columns: Column<Row>[];
  rows: Row[] | undefined;
  rowKey: (row: Row) => string;
  isLoading: boolean;
  error: unknown;
  onRetry?: () => void;
  empty: { icon: LucideIcon; title: ReactNode; description?: ReactNode; action?: ReactNode };
  rowTestId?: (row: Row) => string;
  /** `data-*` attributes of a row, for tests and styling (`{ "data-status": "failed" }`). */
  rowAttributes?: (row: Row) => Record<`data-${string}`, string>;
  /** Opens a row (its details); the row is then focusable and opens with Enter too. */
  onRowClick?: (row: Row) => void;
};

/** A table with the loading, error and empty states every list in the dashboard shares. */
export function DataTable<Row>({ columns, rows, rowKey, isLoading, error, onRetry, empty, rowTestId, rowAttributes, onRowClick }: DataTableProps<Row>) {
  if (error) return <ErrorState error={error} onRetry={onRetry} />;
  if (!isLoading && rows && rows.length === 0) return <EmptyState {...empty} />;
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {columns.map((column) => (
            <TableHead key={column.id} className={column.className}>
              {column.header}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {isLoading || !rows
          ? Array.from({ length: 4 }, (_, index) => (
              <TableRow key={index} className="hover:bg-transparent">
                {columns.map((column) => (
                  <TableCell key={column.id}>
                    <Skeleton className="h-4 w-full max-w-40" />
                  </TableCell>
                ))}
              </TableRow>
            ))
          : rows.map((row) => (
              <TableRow
                key={rowKey(row)}
                data-testid={rowTestId?.(row)}
                {...rowAttributes?.(row)}
                {...(onRowClick
                  ? {
                      className: "cursor-pointer",
                      tabIndex: 0,
                      onClick: () => onRowClick(row),
                      onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => {
                        if (event.key !== "Enter" || event.target !== event.currentTarget) return;
                        // Otherwise the same key press would also activate whatever the opened view focuses.
                        event.preventDefault();
                        onRowClick(row);
                      },
                    }
                  : {})}
              >
                {columns.map((column) => (
                  <TableCell key={column.id} className={cn(column.className)}>
                    {column.cell(row)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
      </TableBody>
    </Table>
  );
}
