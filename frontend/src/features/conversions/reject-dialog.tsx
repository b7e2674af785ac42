import { zodResolver } from "@hookform/resolvers/zod";
import { XIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { Conversion } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { decisionSchema, toDecisionBody, type DecisionValues } from "@/features/conversions/decision-schema";
import { ReasonSelect } from "@/features/conversions/reason-select";
import { useDecideConversions } from "@/features/conversions/use-conversions";
import { useDecisionToast } from "@/features/conversions/use-decision-toast";
import { useErrorMessage } from "@/lib/use-error-message";

const REJECT: DecisionValues = { status: "rejected", reason: "" };

type RejectDialogProps = { conversions: Conversion[]; onDecided: () => void; advertiserId?: string };

/** "Reject…" for the conversions picked in the table: asks the reason, then rejects them all. */
export function RejectDialog({ conversions, onDecided, advertiserId }: RejectDialogProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const toastOutcome = useDecisionToast();
  const [open, setOpen] = useState(false);
  const form = useForm<DecisionValues>({ resolver: zodResolver(decisionSchema), defaultValues: REJECT });
  const decide = useDecideConversions(advertiserId);
  const reversals = conversions.filter((conversion) => conversion.status === "approved").length;

  const submit = form.handleSubmit((values) =>
    decide.mutate(toDecisionBody(values, { ids: conversions.map((conversion) => conversion.id) }), {
      onSuccess: (outcome) => {
        toastOutcome("rejected", outcome);
        setOpen(false);
        onDecided();
      },
    }),
  );

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset(REJECT);
          decide.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" disabled={conversions.length === 0} data-testid="conversions-reject">
          <XIcon /> {t("conversions.reject")}
          {conversions.length > 0 ? <span className="tabular-nums">({conversions.length})</span> : null}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("conversions.rejectDialog.title")}</DialogTitle>
          <DialogDescription>{t("conversions.rejectDialog.text", { count: conversions.length })}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={submit}>
          {decide.error ? <FormError>{errorMessage(decide.error)}</FormError> : null}
          {reversals > 0 ? (
            <p className="rounded-md border border-warning/30 bg-warning/10 px-3 py-2.5 text-sm" data-testid="conversions-reject-reversals">
              {t("conversions.rejectDialog.reversals", { count: reversals })}
            </p>
          ) : null}
          <Field id="conversions-reject-reason" label={t("conversions.reason")} error={form.formState.errors.reason?.message}>
            <Controller
              control={form.control}
              name="reason"
              render={({ field }) => (
                <ReasonSelect
                  id="conversions-reject-reason"
                  value={field.value}
                  onChange={field.onChange}
                  invalid={!!form.formState.errors.reason}
                  testId="conversions-reject-reason"
                />
              )}
            />
          </Field>
          <DialogFooter>
            <Button type="submit" variant="destructive" disabled={decide.isPending} data-testid="conversions-reject-submit">
              {decide.isPending ? <Spinner /> : null}
              {t("conversions.rejectDialog.submit", { count: conversions.length })}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
