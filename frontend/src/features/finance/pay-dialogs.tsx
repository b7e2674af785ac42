import { zodResolver } from "@hookform/resolvers/zod";
import { BanknoteIcon, HandCoinsIcon } from "lucide-react";
import { useState } from "react";
import { useForm, useWatch, type UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { AffiliateBalance, Payout } from "@/api/types";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { approvedTotals, sumAmounts } from "@/features/finance/amounts";
import {
  bulkPayoutSchema,
  PAYOUT_METHODS,
  payoutSchema,
  toPayoutBody,
  type BulkPayoutValues,
  type PayoutMethod,
  type PayoutValues,
} from "@/features/finance/finance-forms";
import { usePay, type Books } from "@/features/finance/use-finance";
import { OptionSelect } from "@/features/offers/option-select";
import { formatDecimalMoney } from "@/lib/money";

/** A payout's method as the language names it; methods typed elsewhere are shown as sent. */
export function methodLabel(t: (key: string, options?: { defaultValue: string }) => string, method: string): string {
  return t(`finance.methods.${method}`, { defaultValue: method });
}

type PayDialogProps = {
  books: Books;
  row: AffiliateBalance;
  /** What the amount starts at (a payout request's amount); the whole approved balance without it. */
  amount?: string;
  /** The trigger's test id; `pay-<affiliate>` without it. */
  testId?: string;
};

/** "Pay" on an affiliate's row or its payout request: its approved balance in that currency, or part of it. */
export function PayDialog({ books, row, amount, testId }: PayDialogProps) {
  const { t, i18n } = useTranslation();
  const defaults: PayoutValues = { amount: amount ?? row.approved, method: "wire", reference: "" };
  const form = useForm<PayoutValues>({ resolver: zodResolver(payoutSchema(row)), defaultValues: defaults });
  const method = useWatch({ control: form.control, name: "method" });
  const pay = usePay(books);
  const [open, setOpen] = useState(false);
  const money = (amount: string) => formatDecimalMoney(amount, row.currency, i18n.language);

  const submit = form.handleSubmit((values) =>
    pay.mutate(toPayoutBody(values, { affiliateId: row.affiliate_id, currency: row.currency }), {
      onSuccess: (made) => {
        toast.success(t("finance.pay.done", { affiliate: row.affiliate_name, amount: paidText(made.items, i18n.language) }));
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
        pay.reset();
      }}
      trigger={
        <Button size="sm" variant="outline" data-testid={testId ?? `pay-${row.affiliate_id}`} data-affiliate={row.affiliate_id} data-currency={row.currency}>
          <BanknoteIcon /> {t("finance.pay.button")}
        </Button>
      }
      title={t("finance.pay.title", { affiliate: row.affiliate_name })}
      description={t("finance.pay.text", { amount: money(row.approved) })}
      error={pay.error}
      onSubmit={submit}
      pending={pay.isPending}
      submitLabel={t("finance.pay.submit")}
      testId="pay-dialog"
    >
      <Field
        id="pay-amount"
        label={t("finance.pay.amount", { currency: row.currency })}
        error={form.formState.errors.amount?.message}
        hint={t("finance.pay.amountHint")}
      >
        <Input
          id="pay-amount"
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={!!form.formState.errors.amount}
          data-testid="pay-amount"
          {...form.register("amount")}
        />
      </Field>
      <MethodFields
        method={method}
        onMethod={(method) => form.setValue("method", method)}
        reference={form.register("reference")}
        referenceError={form.formState.errors.reference?.message}
      />
    </FormDialog>
  );
}

/** "Pay all approved": every affiliate's whole approved balance, with the totals to confirm. */
export function PayAllDialog({ books, rows }: { books: Books; rows: AffiliateBalance[] }) {
  const { t, i18n } = useTranslation();
  const defaults: BulkPayoutValues = { method: "wire", reference: "" };
  const form = useForm<BulkPayoutValues>({ resolver: zodResolver(bulkPayoutSchema), defaultValues: defaults });
  const method = useWatch({ control: form.control, name: "method" });
  const pay = usePay(books);
  const [open, setOpen] = useState(false);
  const totals = approvedTotals(rows);

  const submit = form.handleSubmit((values) =>
    pay.mutate(toPayoutBody(values), {
      onSuccess: (made) => {
        toast.success(t("finance.payAll.done", { count: made.items.length, amount: paidText(made.items, i18n.language) }));
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
        pay.reset();
      }}
      trigger={
        <Button size="sm" disabled={totals.length === 0} data-testid="pay-all">
          <HandCoinsIcon /> {t("finance.payAll.button")}
        </Button>
      }
      title={t("finance.payAll.title")}
      description={t("finance.payAll.text")}
      error={pay.error}
      onSubmit={submit}
      pending={pay.isPending}
      submitLabel={t("finance.payAll.submit")}
      testId="pay-all-dialog"
    >
      <ul className="divide-y rounded-md border text-sm" data-testid="pay-all-totals">
        {totals.map((total) => (
          <li key={total.currency} className="flex items-center justify-between gap-3 px-3 py-2" data-currency={total.currency}>
            <span className="text-muted-foreground">{t("finance.payAll.affiliates", { count: total.affiliates })}</span>
            <span className="font-semibold tabular-nums">{formatDecimalMoney(total.amount, total.currency, i18n.language)}</span>
          </li>
        ))}
      </ul>
      <MethodFields
        method={method}
        onMethod={(method) => form.setValue("method", method)}
        reference={form.register("reference")}
        referenceError={form.formState.errors.reference?.message}
      />
    </FormDialog>
  );
}

/** The payouts just made, summed per currency ("$120.00, €40.00"). */
function paidText(items: Payout[], language: string): string {
  const currencies = [...new Set(items.map((item) => item.currency))].sort();
  return currencies
    .map((currency) =>
      formatDecimalMoney(
        sumAmounts(
          items.filter((item) => item.currency === currency).map((item) => item.amount),
          currency,
        ),
        currency,
        language,
      ),
    )
    .join(", ");
}

type MethodFieldsProps = {
  method: PayoutMethod;
  onMethod: (method: PayoutMethod) => void;
  reference: UseFormRegisterReturn<"reference">;
  referenceError: string | undefined;
};

/** How the money was sent and its reference: the part both payout forms share. */
function MethodFields({ method, onMethod, reference, referenceError }: MethodFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <Field id="pay-method" label={t("finance.pay.method")}>
        <OptionSelect
          id="pay-method"
          value={method}
          onChange={onMethod}
          options={PAYOUT_METHODS}
          label={(value) => methodLabel(t, value)}
          testId="pay-method"
        />
      </Field>
      <Field id="pay-reference" label={t("finance.pay.reference")} error={referenceError} hint={t("finance.pay.referenceHint")}>
        <Input id="pay-reference" autoComplete="off" aria-invalid={!!referenceError} data-testid="pay-reference" {...reference} />
      </Field>
    </>
  );
}
