import { ArrowLeftIcon, BuildingIcon, ListIcon, ReceiptTextIcon, ShieldOffIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import type { InvoiceDetail, InvoiceItem, InvoiceLine } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Facts } from "@/components/facts";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { usePickedAdvertiser } from "@/features/advertisers/use-advertisers";
import { useFinanceAccess } from "@/features/finance/finance-access";
import { formatInvoicePeriod } from "@/features/finance/finance-format";
import { TitledHeader } from "@/features/finance/finance-parts";
import { InvoicePdfButtons, InvoiceStatusBadge, InvoiceTotals } from "@/features/finance/invoice-parts";
import { useInvoice, type Books } from "@/features/finance/use-finance";
import { formatDate, formatDateTime, formatNumber } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

/** One month's invoice (or this month's preview): its lines per offer, totals and every conversion on it. */
export function InvoicePage() {
  const { t, i18n } = useTranslation();
  const { month = "" } = useParams();
  const access = useFinanceAccess();
  const staff = access.everyAdvertiser;
  const [advertiserId, pick] = usePickedAdvertiser(staff);
  const books: Books = { advertiserId, cacheScope: null };
  const financePath = advertiserId ? `/finance?advertiser_id=${encodeURIComponent(advertiserId)}` : "/finance";
  const back = (
    <Button asChild variant="ghost" size="sm">
      <Link to={financePath} data-testid="invoice-back">
        <ArrowLeftIcon /> {t("finance.invoice.back")}
      </Link>
    </Button>
  );
  const period = formatInvoicePeriod(month, i18n.language);

  // Invoices are the advertiser's; an affiliate has its payouts on the finance page instead.
  if (!access.readsBooks) {
    return <EmptyState icon={ShieldOffIcon} title={t("errors.forbiddenTitle")} description={t("errors.forbiddenText")} />;
  }
  return (
    <>
      <PageHeader
        title={t("finance.invoice.title")}
        description={period}
        actions={
          <>
            {back}
            {staff ? <AdvertiserPicker value={advertiserId} onChange={pick} testId="finance-advertiser" /> : null}
          </>
        }
      />
      {staff && !advertiserId ? (
        <Card>
          <EmptyState icon={BuildingIcon} title={t("advertisers.pick")} description={t("finance.invoice.pickText")} />
        </Card>
      ) : (
        <InvoiceDetails books={books} month={month} />
      )}
    </>
  );
}

function InvoiceDetails({ books, month }: { books: Books; month: string }) {
  const invoice = useInvoice(books, month);
  if (invoice.error) {
    return (
      <Card>
        <ErrorState error={invoice.error} onRetry={() => void invoice.refetch()} />
      </Card>
    );
  }
  if (!invoice.data) {
    return (
      <>
        <Skeleton className="h-40 w-full rounded-xl" />
        <Skeleton className="h-64 w-full rounded-xl" />
      </>
    );
  }
  return (
    <>
      <InvoiceSummary books={books} invoice={invoice.data} />
      <InvoiceLines invoice={invoice.data} />
      <InvoiceItems invoice={invoice.data} />
    </>
  );
}

function InvoiceSummary({ books, invoice }: { books: Books; invoice: InvoiceDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const issued = invoice.status === "issued";
  return (
    <Card data-testid="invoice-summary" data-month={invoice.month} data-status={invoice.status}>
      <TitledHeader title={t("finance.invoice.summaryTitle")} description={issued ? t("finance.invoice.issuedText") : t("finance.invoice.previewText")}>
        {issued ? <InvoicePdfButtons books={books} invoice={invoice} /> : null}
      </TitledHeader>
      <CardContent className="pt-6">
        <Facts
          rows={[
            [
              t("finance.invoices.columns.number"),
              invoice.number ? (
                <span className="font-mono font-medium" data-testid="invoice-number">
                  {invoice.number}
                </span>
              ) : (
                <Badge variant="neutral" data-testid="invoice-number">
                  {t("finance.invoice.preview")}
                </Badge>
              ),
            ],
            [t("finance.invoice.status"), <InvoiceStatusBadge status={invoice.status} />],
            [t("finance.invoices.columns.period"), formatInvoicePeriod(invoice.month, language)],
            [t("finance.invoices.columns.issued"), formatDate(invoice.issued_at, language)],
            [t("finance.invoice.totals"), <InvoiceTotals totals={invoice.totals} revenue />],
          ]}
        />
      </CardContent>
    </Card>
  );
}

function InvoiceLines({ invoice }: { invoice: InvoiceDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const money = (amount: string, currency: string) => formatDecimalMoney(amount, currency, language);
  const columns: Column<InvoiceLine>[] = [
    {
      id: "offer",
      header: t("finance.columns.offer"),
      cell: (line) => (
        <div>
          <UserText value={line.offer_name} className="font-medium" />
          {line.kind === "clicks" ? (
            <span className="block text-xs text-muted-foreground" data-testid="invoice-line-clicks">
              {t("cpc.invoice.clicksOf", { affiliate: line.affiliate_name ?? line.affiliate_id })}
            </span>
          ) : null}
        </div>
      ),
    },
    { id: "currency", header: t("finance.currency"), cell: (line) => line.currency },
    {
      id: "conversions",
      header: t("finance.invoices.columns.conversions"),
      cell: (line) =>
        line.kind === "clicks"
          ? t("cpc.invoice.clicks", { count: line.clicks, formatted: formatNumber(line.clicks, language) })
          : formatNumber(line.conversions, language),
      className: "text-right tabular-nums",
    },
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (line) => money(line.amount, line.currency),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "revenue", header: t("finance.revenue"), cell: (line) => money(line.revenue, line.currency), className: "text-right tabular-nums whitespace-nowrap" },
  ];
  return (
    <Card>
      <TitledHeader title={t("finance.invoice.linesTitle")} description={t("finance.invoice.linesText")} />
      <div data-testid="invoice-lines">
        <DataTable
          columns={columns}
          rows={invoice.lines}
          rowKey={(line) => `${line.offer_id}:${line.kind}:${line.affiliate_id ?? ""}:${line.currency}`}
          rowTestId={() => "invoice-line"}
          rowAttributes={(line) => ({ "data-offer": line.offer_id, "data-currency": line.currency })}
          isLoading={false}
          error={null}
          empty={{ icon: ReceiptTextIcon, title: t("finance.invoice.linesEmptyTitle"), description: t("finance.invoice.linesEmptyText") }}
        />
      </div>
    </Card>
  );
}

function InvoiceItems({ invoice }: { invoice: InvoiceDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const offers = new Map(invoice.lines.map((line) => [line.offer_id, line.offer_name]));
  const columns: Column<InvoiceItem>[] = [
    { id: "at", header: t("finance.invoice.columns.at"), cell: (item) => formatDateTime(item.at, language), className: "whitespace-nowrap" },
    {
      id: "conversion",
      header: t("finance.invoice.columns.conversion"),
      cell: (item) =>
        item.clicks > 0 ? (
          <span className="text-xs">{t("cpc.invoice.clicks", { count: item.clicks, formatted: formatNumber(item.clicks, language) })}</span>
        ) : (
          <span className="font-mono text-xs">{item.conversion_id}</span>
        ),
    },
    { id: "offer", header: t("finance.columns.offer"), cell: (item) => <UserText value={offers.get(item.offer_id) ?? item.offer_id} /> },
    { id: "affiliate", header: t("finance.columns.affiliate"), cell: (item) => <UserText value={item.affiliate_name} /> },
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (item) => (
        <span className="inline-flex items-center justify-end gap-2">
          {item.reversed ? (
            <Badge variant="destructive" data-testid="invoice-item-reversed">
              {t("finance.invoice.reversed")}
            </Badge>
          ) : null}
          <span className={item.reversed ? "text-destructive" : undefined}>{formatDecimalMoney(item.amount, item.currency, language)}</span>
        </span>
      ),
      className: "text-right tabular-nums whitespace-nowrap",
    },
  ];
  const partial = invoice.items_total > invoice.items.length;
  // An hour's paid clicks may come as more than one journal (a click counted late adds one).
  const positions = new Map(invoice.items.map((item, index) => [item, index]));
  return (
    <Card>
      <TitledHeader
        title={t("finance.invoice.itemsTitle")}
        description={
          partial
            ? t("finance.invoice.itemsPartial", { shown: formatNumber(invoice.items.length, language), total: formatNumber(invoice.items_total, language) })
            : t("finance.invoice.itemsText")
        }
      />
      <div data-testid="invoice-items" data-total={invoice.items_total}>
        <DataTable
          columns={columns}
          rows={invoice.items}
          rowKey={(item) => (item.clicks > 0 ? `clicks:${positions.get(item)}` : `${item.conversion_id}:${item.reversed ? "reversed" : "approved"}:${item.at}`)}
          rowTestId={() => "invoice-item"}
          rowAttributes={(item) => ({ "data-conversion": item.conversion_id, "data-reversed": String(item.reversed) })}
          isLoading={false}
          error={null}
          empty={{ icon: ListIcon, title: t("finance.invoice.itemsEmptyTitle"), description: t("finance.invoice.linesEmptyText") }}
        />
      </div>
    </Card>
  );
}
