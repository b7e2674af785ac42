import { zodResolver } from "@hookform/resolvers/zod";
import { PlusIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { toTopupBody, topupSchema, type TopupValues } from "@/features/finance/finance-forms";
import { useRecordTopup } from "@/features/finance/use-finance";
import { formatDecimalMoney } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** Owner and platform admin record money an advertiser sent: it adds to the advertiser's deposits. */
export function RecordTopupDialog({ advertiserId, currency }: { advertiserId: string; currency: string }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const defaults: TopupValues = { amount: "", currency, reference: "" };
  const form = useForm<TopupValues>({ resolver: zodResolver(topupSchema), defaultValues: defaults });
  const record = useRecordTopup(advertiserId);
  const [open, setOpen] = useState(false);
  const errors = form.formState.errors;

  const submit = form.handleSubmit((values) =>
    record.mutate(toTopupBody(values), {
      onSuccess: (topup) => {
        toast.success(t("finance.topup.done", { amount: formatDecimalMoney(topup.amount, topup.currency, i18n.language) }));
        setOpen(false);
      },
    }),
  );

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset(defaults);
          record.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" data-testid="record-topup">
          <PlusIcon /> {t("finance.topup.button")}
        </Button>
      </DialogTrigger>
      <DialogContent data-testid="record-topup-dialog">
        <DialogHeader>
          <DialogTitle>{t("finance.topup.title")}</DialogTitle>
          <DialogDescription>{t("finance.topup.text")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={submit}>
          {record.error ? <FormError testId="record-topup-error">{errorMessage(record.error)}</FormError> : null}
          <div className="grid grid-cols-[1fr_7rem] gap-3">
            <Field id="topup-amount" label={t("finance.topup.amount")} error={errors.amount?.message}>
              <Input id="topup-amount" inputMode="decimal" autoComplete="off" autoFocus aria-invalid={!!errors.amount} data-testid="topup-amount" {...form.register("amount")} />
            </Field>
            <Field id="topup-currency" label={t("finance.currency")} error={errors.currency?.message}>
              <Input id="topup-currency" maxLength={3} autoComplete="off" className="uppercase" aria-invalid={!!errors.currency} data-testid="topup-currency" {...form.register("currency")} />
            </Field>
          </div>
          <Field id="topup-reference" label={t("finance.topup.reference")} error={errors.reference?.message} hint={t("finance.topup.referenceHint")}>
            <Input id="topup-reference" autoComplete="off" aria-invalid={!!errors.reference} data-testid="topup-reference" {...form.register("reference")} />
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={record.isPending} data-testid="record-topup-submit">
              {record.isPending ? <Spinner /> : null}
              {t("finance.topup.submit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
