import { zodResolver } from "@hookform/resolvers/zod";
import { BanknoteIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import type { StaffInvoice } from "@/api/types";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useMarkPaid } from "@/features/billing/use-billing";
import { formatDecimalMoney } from "@/lib/money";

export const markPaidSchema = z.object({ reference: z.string().trim().min(1, "validation.required").max(100, "validation.tooLong") });
type MarkPaidValues = z.infer<typeof markPaidSchema>;

/** The Owner records the bank transfer that paid an invoice, with its reference as on the statement. */
export function MarkPaidDialog({ invoice }: { invoice: StaffInvoice }) {
  const { t, i18n } = useTranslation();
  const markPaid = useMarkPaid();
  const [open, setOpen] = useState(false);
  const form = useForm<MarkPaidValues>({ resolver: zodResolver(markPaidSchema), defaultValues: { reference: "" } });
  const amount = formatDecimalMoney(invoice.total, invoice.currency, i18n.language);
  const submit = form.handleSubmit((values) =>
    markPaid.mutate(
      { advertiserId: invoice.advertiser_id, invoiceId: invoice.invoice_id, reference: values.reference.trim() },
      {
        onSuccess: () => {
          toast.success(t("plans.overview.markedPaid", { number: invoice.number }));
          setOpen(false);
        },
      },
    ),
  );
  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset({ reference: "" });
        markPaid.reset();
      }}
      trigger={
        <Button size="sm" variant="outline" data-testid={`mark-paid-${invoice.invoice_id}`} data-advertiser={invoice.advertiser_id}>
          <BanknoteIcon /> {t("plans.overview.markPaid")}
        </Button>
      }
      title={t("plans.overview.markPaidTitle", { number: invoice.number })}
      description={t("plans.overview.markPaidText", { advertiser: invoice.advertiser_name, amount })}
      error={markPaid.error}
      onSubmit={submit}
      pending={markPaid.isPending}
      submitLabel={t("plans.overview.markPaid")}
      testId="mark-paid-dialog"
    >
      <Field
        id="mark-paid-reference"
        label={t("plans.overview.reference")}
        hint={t("plans.overview.referenceHint")}
        error={form.formState.errors.reference?.message}
      >
        <Input
          id="mark-paid-reference"
          autoComplete="off"
          aria-invalid={!!form.formState.errors.reference}
          data-testid="mark-paid-reference"
          {...form.register("reference")}
        />
      </Field>
    </FormDialog>
  );
}
