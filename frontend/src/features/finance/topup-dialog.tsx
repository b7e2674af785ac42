import { zodResolver } from "@hookform/resolvers/zod";
import type { UseMutationResult } from "@tanstack/react-query";
import { PlusIcon, SendIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { TopupInput } from "@/api/types";
import { FormDialog } from "@/components/form-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toTopupBody, topupSchema, type TopupValues } from "@/features/finance/finance-forms";
import { useRecordTopup, useSubmitTopupRequest, type Books } from "@/features/finance/use-finance";
import { formatDecimalMoney } from "@/lib/money";

type TopupTexts = { title: string; text: string; reference: string; referenceHint: string; submit: string };

const RECORD_TEXTS: TopupTexts = {
  title: "finance.topup.title",
  text: "finance.topup.text",
  reference: "finance.topup.reference",
  referenceHint: "finance.topup.referenceHint",
  submit: "finance.topup.submit",
};

const SUBMIT_TEXTS: TopupTexts = {
  title: "finance.topupRequest.title",
  text: "finance.topupRequest.text",
  reference: "finance.topupRequest.reference",
  referenceHint: "finance.topupRequest.referenceHint",
  submit: "finance.topupRequest.submit",
};

/** Owner and platform admin record money an advertiser sent: it adds to the advertiser's deposits. */
export function RecordTopupDialog({ advertiserId, currency }: { advertiserId: string; currency: string }) {
  const { t, i18n } = useTranslation();
  const record = useRecordTopup(advertiserId);
  return (
    <TopupFormDialog
      mutation={record}
      currency={currency}
      testId="record-topup"
      trigger={
        <Button size="sm" variant="outline" data-testid="record-topup">
          <PlusIcon /> {t("finance.topup.button")}
        </Button>
      }
      texts={RECORD_TEXTS}
      done={(topup) => t("finance.topup.done", { amount: formatDecimalMoney(topup.amount, topup.currency, i18n.language) })}
    />
  );
}

/** The advertiser tells the platform it sent money: amount, currency and the bank transfer's reference, for review. */
export function SubmitTopupDialog({ books, currency }: { books: Books; currency: string }) {
  const { t, i18n } = useTranslation();
  const submit = useSubmitTopupRequest(books);
  return (
    <TopupFormDialog
      mutation={submit}
      currency={currency}
      testId="topup-request"
      trigger={
        <Button size="sm" data-testid="topup-request-open">
          <SendIcon /> {t("finance.topupRequest.button")}
        </Button>
      }
      texts={SUBMIT_TEXTS}
      done={(made, values) => {
        const request = made.items[0];
        return t("finance.topupRequest.done", { amount: request ? formatDecimalMoney(request.amount, request.currency, i18n.language) : values.amount });
      }}
    />
  );
}

type TopupFormDialogProps<Result> = {
  mutation: UseMutationResult<Result, Error, TopupInput>;
  currency: string;
  /** Prefix of the test ids: the fields' `<testId>-amount`, `-currency`, `-reference`; the dialog's `<testId>-dialog` (its error and submit `<testId>-dialog-error`, `-submit`). */
  testId: string;
  trigger: ReactNode;
  texts: TopupTexts;
  done: (result: Result, values: TopupValues) => string;
};

/** Amount, currency and bank reference of a top-up, sent by `mutation`: the form both ways of reporting money share. */
function TopupFormDialog<Result>({ mutation, currency, testId, trigger, texts, done }: TopupFormDialogProps<Result>) {
  const { t } = useTranslation();
  const defaults: TopupValues = { amount: "", currency, reference: "" };
  const form = useForm<TopupValues>({ resolver: zodResolver(topupSchema), defaultValues: defaults });
  const [open, setOpen] = useState(false);
  const errors = form.formState.errors;

  const submit = form.handleSubmit((values) =>
    mutation.mutate(toTopupBody(values), {
      onSuccess: (result) => {
        toast.success(done(result, values));
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
        mutation.reset();
      }}
      trigger={trigger}
      title={t(texts.title)}
      description={t(texts.text)}
      error={mutation.error}
      onSubmit={submit}
      pending={mutation.isPending}
      submitLabel={t(texts.submit)}
      testId={`${testId}-dialog`}
    >
      <div className="grid grid-cols-[1fr_7rem] gap-3">
        <Field id={`${testId}-amount`} label={t("finance.topup.amount")} error={errors.amount?.message}>
          <Input
            id={`${testId}-amount`}
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            aria-invalid={!!errors.amount}
            data-testid={`${testId}-amount`}
            {...form.register("amount")}
          />
        </Field>
        <Field id={`${testId}-currency`} label={t("finance.currency")} error={errors.currency?.message}>
          <Input
            id={`${testId}-currency`}
            maxLength={3}
            autoComplete="off"
            className="uppercase"
            aria-invalid={!!errors.currency}
            data-testid={`${testId}-currency`}
            {...form.register("currency")}
          />
        </Field>
      </div>
      <Field id={`${testId}-reference`} label={t(texts.reference)} error={errors.reference?.message} hint={t(texts.referenceHint)}>
        <Input
          id={`${testId}-reference`}
          autoComplete="off"
          aria-invalid={!!errors.reference}
          data-testid={`${testId}-reference`}
          {...form.register("reference")}
        />
      </Field>
    </FormDialog>
  );
}
