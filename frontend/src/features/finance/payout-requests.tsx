import { zodResolver } from "@hookform/resolvers/zod";
import { BanknoteIcon, CheckCheckIcon, InboxIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { AffiliateBalance, MoneyRequest } from "@/api/types";
import { DataTable, type Column, type DataTableProps } from "@/components/data-table";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { UserText } from "@/components/user-text";
import { isPositiveAmount } from "@/features/finance/amounts";
import { payoutRequestSchema, toPayoutRequestBody, type PayoutRequestValues } from "@/features/finance/finance-forms";
import { balanceOfRequest, splitRequests } from "@/features/finance/finance-format";
import { RequestStatusBadge, TitledHeader, type QueryState } from "@/features/finance/finance-parts";
import { PayDialog } from "@/features/finance/pay-dialogs";
import { usePayoutRequests, useRequestPayout, type Books } from "@/features/finance/use-finance";
import { formatDateTime } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";

/** An affiliate asks its advertiser to pay (part of) its approved balance in one currency. */
export function PayoutRequestDialog({ row }: { row: AffiliateBalance }) {
  const { t, i18n } = useTranslation();
  const defaults: PayoutRequestValues = { amount: row.approved };
  const form = useForm<PayoutRequestValues>({ resolver: zodResolver(payoutRequestSchema(row)), defaultValues: defaults });
  const send = useRequestPayout();
  const [open, setOpen] = useState(false);
  const money = (amount: string) => formatDecimalMoney(amount, row.currency, i18n.language);
  const error = form.formState.errors.amount?.message;
  const hint = row.min_payout
    ? t("finance.payoutRequest.hintMinimum", { minimum: money(row.min_payout), approved: money(row.approved) })
    : t("finance.payoutRequest.hint", { approved: money(row.approved) });

  const submit = form.handleSubmit((values) =>
    send.mutate(toPayoutRequestBody(values, row.currency), {
      onSuccess: (made) => {
        toast.success(t("finance.payoutRequest.done", { amount: money(made.items[0]?.amount ?? values.amount) }));
        setOpen(false);
      },
    }),
  );

  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset(defaults);
        send.reset();
      }}
      trigger={
        <Button
          size="sm"
          variant="outline"
          className="w-full"
          disabled={!isPositiveAmount(row.approved, row.currency)}
          data-testid="payout-request-open"
          data-currency={row.currency}
        >
          <BanknoteIcon /> {t("finance.payoutRequest.button")}
        </Button>
      }
      title={t("finance.payoutRequest.title", { currency: row.currency })}
      description={t("finance.payoutRequest.text")}
      // Below the minimum or above the approved balance, the API says so in its own words.
      error={send.error}
      onSubmit={submit}
      pending={send.isPending}
      submitLabel={t("finance.payoutRequest.submit")}
      testId="payout-request-dialog"
    >
      <Field id="payout-request-amount" label={t("finance.payoutRequest.amount", { currency: row.currency })} error={error} hint={hint}>
        <Input
          id="payout-request-amount"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          aria-invalid={!!error}
          data-testid="payout-request-amount"
          {...form.register("amount")}
        />
      </Field>
      {error ? <p className="-mt-2 text-xs text-muted-foreground">{hint}</p> : null}
    </FormDialog>
  );
}

/** The request's amount, date and status: what both sides' tables show. */
function useRequestColumns(): Column<MoneyRequest>[] {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return [
    {
      id: "created",
      header: t("finance.payoutRequests.columns.created"),
      cell: (request) => formatDateTime(request.created_at, language),
      className: "whitespace-nowrap",
    },
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (request) => formatDecimalMoney(request.amount, request.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "status", header: t("finance.payoutRequests.columns.status"), cell: (request) => <RequestStatusBadge request={request} /> },
  ];
}

const affiliateColumn = (header: string): Column<MoneyRequest> => ({
  id: "affiliate",
  header,
  cell: (request) => <UserText value={request.affiliate_name ?? request.affiliate_id} className="font-medium" />,
});

type RequestsTableProps = {
  query: QueryState;
  rows: MoneyRequest[] | undefined;
  columns: Column<MoneyRequest>[];
  empty: DataTableProps<MoneyRequest>["empty"];
};

/** Payout requests as rows `payout-request-row` with their id, status and currency. */
function RequestsTable({ query, rows, columns, empty }: RequestsTableProps) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(request) => request.id}
      rowTestId={() => "payout-request-row"}
      rowAttributes={(request) => ({ "data-id": request.id, "data-status": request.status, "data-currency": request.currency })}
      isLoading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      empty={empty}
    />
  );
}

/** The affiliate's own payout requests, newest first, with the payout that answered each. */
export function AffiliatePayoutRequests({ books }: { books: Books }) {
  const { t } = useTranslation();
  const requests = usePayoutRequests(books);
  const columns: Column<MoneyRequest>[] = [
    ...useRequestColumns(),
    {
      id: "answer",
      header: t("finance.payoutRequests.columns.answer"),
      cell: (request) => (request.answer ? <span className="font-mono text-xs">{request.answer}</span> : <span className="text-muted-foreground">—</span>),
      className: "max-w-48 truncate",
    },
  ];
  return (
    <Card>
      <TitledHeader title={t("finance.payoutRequests.title")} description={t("finance.payoutRequests.affiliateText")} />
      <div data-testid="payout-requests">
        <RequestsTable
          query={requests}
          rows={requests.data?.items}
          columns={columns}
          empty={{ icon: InboxIcon, title: t("finance.payoutRequests.emptyTitle"), description: t("finance.payoutRequests.emptyText") }}
        />
      </div>
    </Card>
  );
}

type AdvertiserRequestsProps = { books: Books; balances: AffiliateBalance[] | undefined; manages: boolean };

/** What affiliates asked to be paid: the open requests with "Pay", the answered ones on a second tab. */
export function AdvertiserPayoutRequests({ books, balances, manages }: AdvertiserRequestsProps) {
  const { t } = useTranslation();
  const requests = usePayoutRequests(books);
  const { open, closed } = splitRequests(requests.data?.items ?? []);
  const common = useRequestColumns();
  const affiliate = affiliateColumn(t("finance.columns.affiliate"));
  const pay: Column<MoneyRequest> = {
    id: "pay",
    header: <span className="sr-only">{t("finance.pay.button")}</span>,
    cell: (request) => <PayRequestButton books={books} request={request} balances={balances ?? []} />,
    className: "text-right",
  };
  const openColumns = [affiliate, ...common.filter((column) => column.id !== "status"), ...(manages ? [pay] : [])];
  const table = (rows: MoneyRequest[], columns: Column<MoneyRequest>[], empty: { title: string; description: string }) => (
    <RequestsTable query={requests} rows={requests.data ? rows : undefined} columns={columns} empty={{ icon: CheckCheckIcon, ...empty }} />
  );

  return (
    <Card>
      <Tabs defaultValue="open">
        <TitledHeader title={t("finance.payoutRequests.title")} description={t("finance.payoutRequests.advertiserText")}>
          <TabsList>
            <TabsTrigger value="open" data-testid="payout-requests-tab-open">
              {t("finance.payoutRequests.tabOpen", { n: open.length })}
            </TabsTrigger>
            <TabsTrigger value="closed" data-testid="payout-requests-tab-closed">
              {t("finance.payoutRequests.tabClosed")}
            </TabsTrigger>
          </TabsList>
        </TitledHeader>
        <TabsContent value="open" data-testid="advertiser-payout-requests">
          {table(open, openColumns, { title: t("finance.payoutRequests.openEmptyTitle"), description: t("finance.payoutRequests.openEmptyText") })}
        </TabsContent>
        <TabsContent value="closed" data-testid="advertiser-payout-requests-closed">
          {table(closed, [affiliate, ...common], { title: t("finance.payoutRequests.emptyTitle"), description: t("finance.payoutRequests.closedEmptyText") })}
        </TabsContent>
      </Tabs>
    </Card>
  );
}

/** Pays a request from the affiliate's approved balance in its currency, the requested amount filled in. */
function PayRequestButton({ books, request, balances }: { books: Books; request: MoneyRequest; balances: AffiliateBalance[] }) {
  const { t } = useTranslation();
  const row = balanceOfRequest(request, balances);
  if (!row || !isPositiveAmount(row.approved, row.currency)) {
    return (
      <span title={t("finance.payoutRequests.noBalance")} className="inline-flex">
        <Button size="sm" variant="outline" disabled data-testid="payout-request-pay">
          <BanknoteIcon /> {t("finance.pay.button")}
        </Button>
      </span>
    );
  }
  return <PayDialog books={books} row={row} amount={request.amount} testId="payout-request-pay" />;
}
