import { zodResolver } from "@hookform/resolvers/zod";
import { CheckIcon, FileUpIcon, UploadIcon, XIcon } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { ConversionDecisionOutcome } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { previewCsv } from "@/features/conversions/csv-preview";
import { DECISIONS, decisionSchema, toDecisionBody, type DecisionValues } from "@/features/conversions/decision-schema";
import { ReasonSelect } from "@/features/conversions/reason-select";
import { useDecideConversions } from "@/features/conversions/use-conversions";
import { useDecisionToast } from "@/features/conversions/use-decision-toast";
import { OptionSelect } from "@/features/offers/option-select";
import { formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

// The API takes a CSV of at most a million characters; a bigger file is refused before it is sent.
const MAX_CSV_CHARS = 1_000_000;
const APPROVE: DecisionValues = { status: "approved", reason: "" };

type CsvFile = { name: string; text: string };

/** "Upload CSV": approve or reject the conversions whose transaction ids a file lists, then show each row's result. */
export function UploadCsvDialog() {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const toastOutcome = useDecisionToast();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<CsvFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ConversionDecisionOutcome | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const form = useForm<DecisionValues>({ resolver: zodResolver(decisionSchema), defaultValues: APPROVE });
  const decide = useDecideConversions();
  const preview = useMemo(() => (file ? previewCsv(file.text) : null), [file]);
  const status = useWatch({ control: form.control, name: "status" });

  const reset = () => {
    setFile(null);
    setFileError(null);
    setOutcome(null);
    form.reset(APPROVE);
    decide.reset();
    if (input.current) input.current.value = "";
  };

  const pick = async (picked: File | undefined) => {
    setFileError(null);
    setFile(null);
    if (!picked) return;
    let text: string;
    try {
      text = await picked.text();
    } catch {
      return setFileError(t("conversions.upload.readFailed"));
    }
    if (text.length > MAX_CSV_CHARS) return setFileError(t("conversions.upload.tooLarge", { size: formatNumber(MAX_CSV_CHARS, i18n.language) }));
    setFile({ name: picked.name, text });
  };

  const submit = form.handleSubmit((values) => {
    if (!file || !preview) return setFileError(t("conversions.upload.fileRequired"));
    if (preview.txnIds.length === 0) return setFileError(t("conversions.upload.noIds"));
    decide.mutate(toDecisionBody(values, { csv: file.text }), {
      onSuccess: (result) => {
        setOutcome(result);
        toastOutcome(values.status, result);
      },
    });
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="conversions-upload">
          <UploadIcon /> {t("conversions.upload.button")}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>{t("conversions.upload.title")}</DialogTitle>
          <DialogDescription>{t("conversions.upload.text")}</DialogDescription>
        </DialogHeader>
        {outcome ? (
          <UploadResults
            outcome={outcome}
            onAgain={reset}
            onDone={() => {
              setOpen(false);
              reset();
            }}
          />
        ) : (
          <form noValidate className="space-y-4" onSubmit={submit}>
            {decide.error ? <FormError>{errorMessage(decide.error)}</FormError> : null}
            <Field id="conversions-upload-file" label={t("conversions.upload.file")}>
              <div className="flex min-w-0 items-center gap-3">
                <input
                  ref={input}
                  id="conversions-upload-file"
                  type="file"
                  accept=".csv,.txt,text/csv,text/plain"
                  tabIndex={-1}
                  className="sr-only"
                  onChange={(event) => void pick(event.target.files?.[0])}
                  data-testid="conversions-upload-file"
                />
                <Button variant="outline" size="sm" onClick={() => input.current?.click()} data-testid="conversions-upload-choose">
                  <FileUpIcon /> {t("conversions.upload.choose")}
                </Button>
                <UserText value={file?.name} fallback={t("conversions.upload.noFile")} className="min-w-0 truncate text-sm text-muted-foreground" />
              </div>
            </Field>
            {fileError ? (
              <p role="alert" className="text-xs text-destructive" data-testid="conversions-upload-file-error">
                {fileError}
              </p>
            ) : preview ? (
              <p className="rounded-md border bg-muted/40 px-3 py-2.5 text-sm" data-testid="conversions-upload-preview">
                {t("conversions.upload.preview", { ids: formatNumber(preview.txnIds.length, i18n.language) })}
                {preview.header ? <span className="text-muted-foreground"> · {t("conversions.upload.withHeader")}</span> : null}
              </p>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="conversions-upload-decision" label={t("conversions.upload.decision")}>
                <Controller
                  control={form.control}
                  name="status"
                  render={({ field }) => (
                    <OptionSelect
                      id="conversions-upload-decision"
                      value={field.value}
                      onChange={field.onChange}
                      options={DECISIONS}
                      label={(value) => t(`conversions.decision.${value}`)}
                      testId="conversions-upload-decision"
                    />
                  )}
                />
              </Field>
              {status === "rejected" ? (
                <Field id="conversions-upload-reason" label={t("conversions.reason")} error={form.formState.errors.reason?.message}>
                  <Controller
                    control={form.control}
                    name="reason"
                    render={({ field }) => (
                      <ReasonSelect
                        id="conversions-upload-reason"
                        value={field.value}
                        onChange={field.onChange}
                        invalid={!!form.formState.errors.reason}
                        testId="conversions-upload-reason"
                      />
                    )}
                  />
                </Field>
              ) : null}
            </div>
            <DialogFooter>
              <Button
                type="submit"
                variant={status === "rejected" ? "destructive" : "default"}
                disabled={decide.isPending}
                data-testid="conversions-upload-submit"
              >
                {decide.isPending ? <Spinner /> : null}
                {t(`conversions.decision.${status}`)}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** Each row's result, the ones that were not changed first: those are what the user has to act on. */
function UploadResults({ outcome, onAgain, onDone }: { outcome: ConversionDecisionOutcome; onAgain: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const results = [...outcome.results.filter((result) => !result.ok), ...outcome.results.filter((result) => result.ok)];
  return (
    <div className="space-y-4" data-testid="conversions-upload-results">
      <p className="text-sm font-medium" data-testid="conversions-upload-summary">
        {t("conversions.upload.summary", { updated: outcome.updated, total: outcome.results.length })}
      </p>
      {results.length > 0 ? (
        <ul className="max-h-72 divide-y overflow-y-auto rounded-lg border text-sm">
          {results.map((result, index) => (
            <li
              key={`${result.ref}-${index}`}
              className="flex items-start justify-between gap-3 px-3 py-2"
              data-testid={`conversions-upload-result-${result.ok ? "ok" : "failed"}`}
            >
              <UserText value={result.ref} className="min-w-0 font-mono text-xs break-all" />
              {result.ok ? (
                <Badge variant="success">
                  <CheckIcon /> {t("conversions.upload.ok")}
                </Badge>
              ) : (
                <span className="flex min-w-0 flex-col items-end gap-1 text-right">
                  <Badge variant="destructive">
                    <XIcon /> {t("conversions.upload.failed")}
                  </Badge>
                  {result.error ? <UserText value={result.error} className="text-xs text-muted-foreground" /> : null}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <DialogFooter>
        <Button variant="outline" onClick={onAgain} data-testid="conversions-upload-again">
          {t("conversions.upload.again")}
        </Button>
        <Button onClick={onDone} data-testid="conversions-upload-done">
          {t("common.done")}
        </Button>
      </DialogFooter>
    </div>
  );
}
