import { zodResolver } from "@hookform/resolvers/zod";
import { CheckIcon, ClipboardListIcon, SendIcon, XIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { MoneyRequest } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { FormError } from "@/components/form-error";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { toTopupBody, topupSchema, type TopupValues } from "@/features/finance/finance-forms";
import { RequestStatusBadge, TitledHeader } from "@/features/finance/finance-parts";
import { useDecideTopup, useSubmitTopupRequest, useTopupRequests, type Books, type TopupDecision } from "@/features/finance/use-finance";
import { formatDateTime, formatDecimalMoney } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** The advertiser tells the platform it sent money: amount, currency and the bank transfer's reference, for review. */
export function SubmitTopupDialog({ books, currency }: { books: Books; currency: string }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const defaults: TopupValues = { amount: "", currency, reference: "" };
  const form = useForm<TopupValues>({ resolver: zodResolver(topupSchema), defaultValues: defaults });
  const submitTopup = useSubmitTopupRequest(books);
  const [open, setOpen] = useState(false);
  const errors = form.formState.errors;

  const submit = form.handleSubmit((values) =>
    submitTopup.mutate(toTopupBody(values), {
      onSuccess: (made) => {
        const request = made.items[0];
        toast.success(t("finance.topupRequest.done", { amount: request ? formatDecimalMoney(request.amount, request.currency, i18n.language) : values.amount }));
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
          submitTopup.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" data-testid="topup-request-open">
          <SendIcon /> {t("finance.topupRequest.button")}
        </Button>
      </DialogTrigger>
      <DialogContent data-testid="topup-request-dialog">
        <DialogHeader>
          <DialogTitle>{t("finance.topupRequest.title")}</DialogTitle>
          <DialogDescription>{t("finance.topupRequest.text")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={submit}>
          {submitTopup.error ? <FormError testId="topup-request-error">{errorMessage(submitTopup.error)}</FormError> : null}
          <div className="grid grid-cols-[1fr_7rem] gap-3">
            <Field id="topup-request-amount" label={t("finance.topup.amount")} error={errors.amount?.message}>
              <Input id="topup-request-amount" inputMode="decimal" autoComplete="off" autoFocus aria-invalid={!!errors.amount} data-testid="topup-request-amount" {...form.register("amount")} />
            </Field>
            <Field id="topup-request-currency" label={t("finance.currency")} error={errors.currency?.message}>
              <Input id="topup-request-currency" maxLength={3} autoComplete="off" className="uppercase" aria-invalid={!!errors.currency} data-testid="topup-request-currency" {...form.register("currency")} />
            </Field>
          </div>
          <Field id="topup-request-reference" label={t("finance.topupRequest.reference")} error={errors.reference?.message} hint={t("finance.topupRequest.referenceHint")}>
            <Input id="topup-request-reference" autoComplete="off" aria-invalid={!!errors.reference} data-testid="topup-request-reference" {...form.register("reference")} />
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={submitTopup.isPending} data-testid="topup-request-submit">
              {submitTopup.isPending ? <Spinner /> : null}
              {t("finance.topupRequest.submit")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

type TopupRequestsProps = {
  books: Books;
  /** Owner and platform admin, with an advertiser picked: they confirm or reject open ones. */
  decides: boolean;
  /** The advertiser itself may submit one. */
  submits: boolean;
  currency: string;
};

/** Top-ups the advertiser submitted, with their status; the platform confirms (posts) or rejects the open ones. */
export function TopupRequestsCard({ books, decides, submits, currency }: TopupRequestsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const requests = useTopupRequests(books);
  const advertiserId = decides ? books.advertiserId : undefined;
  const columns: Column<MoneyRequest>[] = [
    { id: "created", header: t("finance.columns.date"), cell: (request) => formatDateTime(request.created_at, language), className: "whitespace-nowrap" },
    { id: "amount", header: t("finance.columns.amount"), cell: (request) => formatDecimalMoney(request.amount, request.currency, language), className: "text-right tabular-nums whitespace-nowrap" },
    { id: "reference", header: t("finance.topupRequest.reference"), cell: (request) => request.reference || <span className="text-muted-foreground">—</span>, className: "max-w-64 truncate" },
    { id: "status", header: t("finance.payoutRequests.columns.status"), cell: (request) => <RequestStatusBadge request={request} /> },
    ...(advertiserId
      ? [
          {
            id: "decide",
            header: <span className="sr-only">{t("common.actions")}</span>,
            cell: (request: MoneyRequest) => (request.status === "open" ? <DecideButtons advertiserId={advertiserId} request={request} /> : null),
            className: "text-right",
          },
        ]
      : []),
  ];
  return (
    <Card>
      <TitledHeader title={t("finance.topupRequests.title")} description={t("finance.topupRequests.text")}>
        {submits ? <SubmitTopupDialog books={books} currency={currency} /> : null}
      </TitledHeader>
      <div data-testid="topup-requests">
        <DataTable
          columns={columns}
          rows={requests.data?.items}
          rowKey={(request) => request.id}
          rowTestId={() => "topup-request-row"}
          rowAttributes={(request) => ({ "data-id": request.id, "data-status": request.status, "data-currency": request.currency })}
          isLoading={requests.isPending}
          error={requests.error}
          onRetry={() => void requests.refetch()}
          empty={{ icon: ClipboardListIcon, title: t("finance.topupRequests.emptyTitle"), description: t(submits ? "finance.topupRequests.emptyText" : "finance.topupRequests.staffEmptyText") }}
        />
      </div>
    </Card>
  );
}

function DecideButtons({ advertiserId, request }: { advertiserId: string; request: MoneyRequest }) {
  return (
    <div className="flex justify-end gap-2">
      <DecideTopup advertiserId={advertiserId} request={request} decision="confirm" />
      <DecideTopup advertiserId={advertiserId} request={request} decision="reject" />
    </div>
  );
}

const DECISION_TEXTS = {
  confirm: { button: "finance.topupRequests.confirm", title: "finance.topupRequests.confirmTitle", text: "finance.topupRequests.confirmText", done: "finance.topupRequests.confirmed" },
  reject: { button: "finance.topupRequests.reject", title: "finance.topupRequests.rejectTitle", text: "finance.topupRequests.rejectText", done: "finance.topupRequests.rejected" },
} as const;

/** Confirm or reject behind an "are you sure?" step that repeats the amount and the reference. */
function DecideTopup({ advertiserId, request, decision }: { advertiserId: string; request: MoneyRequest; decision: TopupDecision }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const decide = useDecideTopup(advertiserId);
  const texts = DECISION_TEXTS[decision];
  const amount = formatDecimalMoney(request.amount, request.currency, i18n.language);
  const run = () =>
    decide.mutate(
      { requestId: request.id, decision },
      { onSuccess: () => toast.success(t(texts.done, { amount })), onError: (error) => toast.error(errorMessage(error)) },
    );
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button size="sm" variant={decision === "confirm" ? "outline" : "ghost"} disabled={decide.isPending} data-testid={`topup-${decision}`} data-id={request.id}>
          {decide.isPending ? <Spinner /> : decision === "confirm" ? <CheckIcon /> : <XIcon />}
          {t(texts.button)}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent data-testid={`topup-${decision}-dialog`}>
        <AlertDialogHeader>
          <AlertDialogTitle>{t(texts.title)}</AlertDialogTitle>
          <AlertDialogDescription>{t(texts.text, { amount, reference: request.reference })}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{t("common.cancel")}</AlertDialogCancel>
          <AlertDialogAction destructive={decision === "reject"} onClick={run} data-testid={`topup-${decision}-submit`}>
            {t(texts.button)}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
