import { AlertCircleIcon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** The API's message for a failed form submission. */
export function FormError({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  if (!children) return null;
  return (
    <div
      role="alert"
      data-testid={testId}
      className={cn("flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm text-destructive", className)}
    >
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 space-y-2">{children}</div>
    </div>
  );
}
