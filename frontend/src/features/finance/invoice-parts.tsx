import { FileDownIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Invoice, InvoiceLanguage, InvoiceStatus, InvoiceTotal } from "@/api/types";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useDownloadInvoice, type Books } from "@/features/finance/use-finance";
import { formatNumber } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

const LANGUAGES: readonly InvoiceLanguage[] = ["en", "ru"];

/** "PDF (EN)" and "PDF (RU)" of an issued invoice; a language whose PDF is still being drawn is disabled. */
export function InvoicePdfButtons({ books, invoice }: { books: Books; invoice: Pick<Invoice, "month" | "documents"> }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const download = useDownloadInvoice(books);
  const busy = download.isPending ? download.variables.language : null;
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {LANGUAGES.map((language) => {
        const ready = invoice.documents.includes(language);
        const button = (
          <Button
            size="sm"
            variant="outline"
            disabled={!ready || download.isPending}
            onClick={() => download.mutate({ month: invoice.month, language }, { onError: (error) => toast.error(errorMessage(error)) })}
            data-testid={`invoice-pdf-${language}`}
            data-month={invoice.month}
          >
            {busy === language ? <Spinner /> : <FileDownIcon />}
            {t("finance.invoices.pdf", { language: language.toUpperCase() })}
          </Button>
        );
        // A disabled button gets no pointer events: the hint sits on its wrapper.
        return ready ? (
          <span key={language}>{button}</span>
        ) : (
          <span key={language} title={t("finance.invoices.pdfPending")} aria-label={t("finance.invoices.pdfPending")}>
            {button}
          </span>
        );
      })}
    </div>
  );
}

const STATUS_VARIANTS: Record<InvoiceStatus, BadgeVariant> = { open: "warning", closing: "default", issued: "success", empty: "neutral" };

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={STATUS_VARIANTS[status]} data-testid="invoice-status" data-status={status}>
      {t(`finance.invoices.status.${status}`)}
    </Badge>
  );
}

/** An invoice's totals, one line per currency: conversions and the amount due. */
export function InvoiceTotals({ totals, revenue = false }: { totals: InvoiceTotal[]; revenue?: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  if (totals.length === 0) return <span className="text-muted-foreground">{t("finance.invoices.noConversions")}</span>;
  return (
    <ul className="space-y-0.5" data-testid="invoice-totals">
      {totals.map((total) => (
        <li key={total.currency} className="flex flex-wrap items-baseline gap-x-2 tabular-nums" data-currency={total.currency}>
          <span className="font-medium">{formatDecimalMoney(total.amount, total.currency, language)}</span>
          <span className="text-xs text-muted-foreground">
            {t("finance.invoices.conversions", { count: total.conversions, formatted: formatNumber(total.conversions, language) })}
          </span>
          {revenue ? (
            <span className="text-xs text-muted-foreground">
              {t("finance.invoices.revenueOf", { amount: formatDecimalMoney(total.revenue, total.currency, language) })}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
