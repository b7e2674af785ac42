import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { FormDialog } from "@/components/form-dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useSuspension, type SuspensionTarget } from "@/features/suspension/use-suspension";

/** The reason's longest length, as the API takes it. */
export const MAX_REASON = 500;

type SuspensionDialogProps = {
  target: SuspensionTarget;
  /** Suspend (a reason is required) or reactivate (a note may be given). */
  suspend: boolean;
  /** Whom it concerns, as the title names it. */
  name: string;
  trigger: ReactNode;
  /** An affiliate: everywhere, or only in the program of the advertiser picked here. */
  pickProgram?: boolean;
};

/** Staff suspend or reactivate an account, saying why: the reason is told to the people it concerns. */
export function SuspensionDialog({ target, suspend, name, trigger, pickProgram = false }: SuspensionDialogProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [program, setProgram] = useState<string | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const aimed = target.kind === "affiliate" && pickProgram ? { ...target, advertiserId: program } : target;
  const change = useSuspension(aimed, suspend);
  const action = suspend ? "suspend" : "reactivate";
  // FormDialog hands the form's submit event on: the page must not reload.
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (suspend && !text.trim()) {
      setMissing(true);
      return;
    }
    change.mutate(text.trim(), {
      onSuccess: (answer) => {
        toast.success(t(answer.changed ? `suspension.toast.${action}` : `suspension.toast.unchanged.${action}`, { name }));
        setOpen(false);
      },
    });
  };
  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        setText("");
        setProgram(undefined);
        setMissing(false);
        change.reset();
      }}
      trigger={trigger}
      title={t(`suspension.dialog.${action}Title`, { name })}
      description={t(`suspension.dialog.${action}Text.${target.kind}`)}
      error={change.error}
      onSubmit={submit}
      pending={change.isPending}
      submitLabel={t(`suspension.actions.${action}`)}
      testId={`suspension-${action}`}
    >
      {pickProgram ? (
        <Field id="suspension-program" label={t("suspension.dialog.program")} hint={t("suspension.dialog.programHint")}>
          <AdvertiserPicker value={program} onChange={setProgram} allowAll testId="suspension-program" />
        </Field>
      ) : null}
      <Field
        id="suspension-text"
        label={t(suspend ? "suspension.dialog.reason" : "suspension.dialog.note")}
        error={missing ? "suspension.dialog.reasonMissing" : undefined}
        hint={t("suspension.dialog.told")}
      >
        <Textarea
          id="suspension-text"
          value={text}
          maxLength={MAX_REASON}
          aria-invalid={missing}
          autoFocus
          onChange={(event) => {
            setText(event.target.value);
            setMissing(false);
          }}
          data-testid="suspension-text"
        />
      </Field>
    </FormDialog>
  );
}
