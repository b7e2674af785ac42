import { CalendarClockIcon, ChevronRightIcon, FileTextIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Invoice } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { ErrorState } from "@/components/error-state";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatInvoicePeriod, invoicePath } from "@/features/finance/finance-format";
import { TitledHeader } from "@/features/finance/finance-parts";
import { InvoicePdfButtons, InvoiceStatusBadge, InvoiceTotals } from "@/features/finance/invoice-parts";
import { useInvoices, type Books } from "@/features/finance/use-finance";
import { formatDate } from "@/lib/format";

/** The advertiser's monthly invoices: this month so far, then the issued ones with their PDFs. */
export function InvoicesCard({ books }: { books: Books }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const invoices = useInvoices(books);
  const path = (month: string) => invoicePath(month, books.advertiserId);
  const columns: Column<Invoice>[] = [
    {
      id: "number",
      header: t("finance.invoices.columns.number"),
      cell: (invoice) => (
        <Link to={path(invoice.month)} className="font-medium text-primary underline-offset-4 hover:underline" data-testid="invoice-link">
          {invoice.number ?? invoice.month}
        </Link>
      ),
      className: "whitespace-nowrap",
    },
    {
      id: "period",
      header: t("finance.invoices.columns.period"),
      cell: (invoice) => formatInvoicePeriod(invoice.month, language),
      className: "whitespace-nowrap",
    },
    { id: "issued", header: t("finance.invoices.columns.issued"), cell: (invoice) => formatDate(invoice.issued_at, language), className: "whitespace-nowrap" },
    { id: "totals", header: t("finance.invoices.columns.totals"), cell: (invoice) => <InvoiceTotals totals={invoice.totals} /> },
    {
      id: "pdf",
      header: <span className="sr-only">PDF</span>,
      cell: (invoice) => <InvoicePdfButtons books={books} invoice={invoice} />,
      className: "text-right",
    },
  ];

  return (
    <Card data-testid="invoices-card">
      <TitledHeader title={t("finance.invoices.title")} description={t("finance.invoices.text")} />
      {invoices.error ? (
        <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : (
        <>
          <CardContent className="border-b py-4">
            {invoices.data ? <CurrentMonth invoice={invoices.data.current} to={path(invoices.data.current.month)} /> : <Skeleton className="h-14 w-full" />}
          </CardContent>
          <DataTable
            columns={columns}
            rows={invoices.data?.items}
            rowKey={(invoice) => invoice.month}
            rowTestId={() => "invoice-row"}
            rowAttributes={(invoice) => ({ "data-month": invoice.month, "data-status": invoice.status })}
            isLoading={invoices.isPending}
            error={null}
            empty={{ icon: FileTextIcon, title: t("finance.invoices.emptyTitle"), description: t("finance.invoices.emptyText") }}
          />
        </>
      )}
    </Card>
  );
}

/** This month's preview: not issued yet, so no number and no PDF; it opens the month's page. */
function CurrentMonth({ invoice, to }: { invoice: Invoice; to: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Link
      to={to}
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-dashed px-4 py-3 transition-colors hover:bg-accent/50"
      data-testid="invoice-current"
      data-month={invoice.month}
      data-status={invoice.status}
    >
      <div className="flex items-start gap-3">
        <CalendarClockIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{formatInvoicePeriod(invoice.month, i18n.language)}</span>
            {invoice.status === "open" ? null : <InvoiceStatusBadge status={invoice.status} />}
          </div>
          <p className="text-sm text-muted-foreground">{invoice.status === "open" ? t("finance.invoices.current") : t("finance.invoices.currentClosed")}</p>
        </div>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <InvoiceTotals totals={invoice.totals} />
        <ChevronRightIcon className="size-4 text-muted-foreground" />
      </div>
    </Link>
  );
}
