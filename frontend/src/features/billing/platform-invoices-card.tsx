import { FileDownIcon, FileTextIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { InvoiceLanguage, PlatformInvoice } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { formatPeriod } from "@/features/billing/billing-format";
import { PlatformInvoiceStatusBadge } from "@/features/billing/billing-parts";
import { PayButton } from "@/features/billing/subscription-card";
import { useDownloadPlatformInvoice, usePlatformInvoices } from "@/features/billing/use-billing";
import { TitledHeader } from "@/features/finance/finance-parts";
import { formatDate } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

const LANGUAGES: readonly InvoiceLanguage[] = ["en", "ru"];

/** The platform's invoices to the advertiser, newest first: each with its PDF in English and Russian, and a Pay button while open. */
export function PlatformInvoicesCard({ advertiserId, pays }: { advertiserId: string | undefined; pays: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const invoices = usePlatformInvoices(advertiserId);
  const columns: Column<PlatformInvoice>[] = [
    {
      id: "number",
      header: t("plans.invoices.columns.number"),
      cell: (invoice) => (
        <div className="space-y-0.5">
          <div className="font-medium">{invoice.number}</div>
          <div className="text-xs text-muted-foreground">{t(`plans.invoices.kinds.${invoice.kind}`)}</div>
        </div>
      ),
      className: "whitespace-nowrap",
    },
    { id: "period", header: t("plans.invoices.columns.period"), cell: (invoice) => formatPeriod(invoice.period_start, invoice.period_end, language) },
    {
      id: "total",
      header: t("plans.invoices.columns.total"),
      cell: (invoice) => formatDecimalMoney(invoice.total, invoice.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    {
      id: "status",
      header: t("plans.invoices.columns.status"),
      cell: (invoice) => (
        <div className="space-y-0.5">
          <PlatformInvoiceStatusBadge status={invoice.status} />
          <div className="text-xs text-muted-foreground">
            {invoice.status === "open"
              ? t("plans.invoices.dueOn", { date: formatDate(invoice.due_at, language) })
              : invoice.status === "paid"
                ? t("plans.invoices.paidOn", { date: formatDate(invoice.paid_at, language) })
                : null}
          </div>
        </div>
      ),
      className: "whitespace-nowrap",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      cell: (invoice) => (
        <div className="flex flex-wrap justify-end gap-2">
          {pays && invoice.status === "open" ? <PayButton advertiserId={advertiserId} invoice={invoice} testId="pay-invoice" /> : null}
          <PdfButtons advertiserId={advertiserId} invoice={invoice} />
        </div>
      ),
      className: "text-right",
    },
  ];
  return (
    <Card data-testid="platform-invoices">
      <TitledHeader title={t("plans.invoices.title")} description={t("plans.invoices.text")} />
      <DataTable
        columns={columns}
        rows={invoices.data?.invoices}
        rowKey={(invoice) => invoice.invoice_id}
        rowTestId={() => "billing-invoice-row"}
        rowAttributes={(invoice) => ({ "data-invoice": invoice.invoice_id, "data-status": invoice.status, "data-kind": invoice.kind })}
        isLoading={invoices.isPending}
        error={invoices.error}
        onRetry={() => void invoices.refetch()}
        empty={{ icon: FileTextIcon, title: t("plans.invoices.emptyTitle"), description: t("plans.invoices.emptyText") }}
      />
    </Card>
  );
}

/** "PDF (EN)" and "PDF (RU)": the link is asked for on the click, as it lives a few minutes. */
function PdfButtons({ advertiserId, invoice }: { advertiserId: string | undefined; invoice: PlatformInvoice }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const download = useDownloadPlatformInvoice(advertiserId);
  const busy = download.isPending ? download.variables.language : null;
  return (
    <>
      {LANGUAGES.map((language) => (
        <Button
          key={language}
          size="sm"
          variant="outline"
          disabled={download.isPending}
          onClick={() => download.mutate({ invoiceId: invoice.invoice_id, language }, { onError: (error) => toast.error(errorMessage(error)) })}
          data-testid={`billing-invoice-pdf-${language}`}
          data-invoice={invoice.invoice_id}
        >
          {busy === language ? <Spinner /> : <FileDownIcon />}
          {t("finance.invoices.pdf", { language: language.toUpperCase() })}
        </Button>
      ))}
    </>
  );
}
