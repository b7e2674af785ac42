import type { ReactNode } from "react";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { useErrorMessage } from "@/lib/use-error-message";

type FormDialogProps = {
  open: boolean;
  setOpen: (open: boolean) => void;
  /** What a closed dialog forgets: its form's values and the mutation's last answer or error. */
  onClosed: () => void;
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  /** The mutation's error, shown above the fields in the API's own words. */
  error: unknown;
  onSubmit: () => void;
  pending: boolean;
  submitLabel: ReactNode;
  /** The dialog's test id; its error and submit button are `<testId>-error` and `<testId>-submit`. */
  testId: string;
  /** The submit button's test id, when it is not `<testId>-submit`. */
  submitTestId?: string;
  children: ReactNode;
};

/** A dialog holding one form that a mutation sends: title, the API's error, the fields, and submit. */
export function FormDialog({
  open,
  setOpen,
  onClosed,
  trigger,
  title,
  description,
  error,
  onSubmit,
  pending,
  submitLabel,
  testId,
  submitTestId,
  children,
}: FormDialogProps) {
  const errorMessage = useErrorMessage();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) onClosed();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent data-testid={testId}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={onSubmit}>
          {error ? <FormError testId={`${testId}-error`}>{errorMessage(error)}</FormError> : null}
          {children}
          <DialogFooter>
            <Button type="submit" disabled={pending} data-testid={submitTestId ?? `${testId}-submit`}>
              {pending ? <Spinner /> : null}
              {submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
