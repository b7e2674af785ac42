import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/cn";

type FieldProps = {
  id: string;
  label: ReactNode;
  /** A zod message: an i18n key, translated here. */
  error?: string | undefined;
  hint?: ReactNode;
  action?: ReactNode;
  className?: string;
  children: ReactNode;
};

/** Label, control and validation message of one form field. */
export function Field({ id, label, error, hint, action, className, children }: FieldProps) {
  const { t } = useTranslation();
  return (
    <div className={cn("grid content-start gap-2", className)}>
      <div className="flex items-center justify-between">
        <Label htmlFor={id}>{label}</Label>
        {action}
      </div>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {t(error)}
        </p>
      ) : hint ? (
        <p className="text-xs text-muted-foreground">{hint}</p>
      ) : null}
    </div>
  );
}
