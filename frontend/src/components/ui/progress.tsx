import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

type ProgressProps = ComponentProps<"div"> & {
  /** Percent done; leave it out while the total is unknown (the bar then sweeps). */
  value?: number;
  /** The filled part's colour, where it tells something (a meter nearing its limit). */
  indicatorClassName?: string;
};

export function Progress({ value, className, indicatorClassName, ...props }: ProgressProps) {
  const known = value !== undefined;
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(value) : undefined}
      data-slot="progress"
      className={cn("relative h-1.5 w-full overflow-hidden rounded-full bg-primary/15", className)}
      {...props}
    >
      <div
        className={cn("h-full rounded-full bg-primary transition-[width]", known ? "" : "w-2/5 animate-indeterminate", indicatorClassName)}
        style={known ? { width: `${Math.min(100, Math.max(0, value))}%` } : undefined}
      />
    </div>
  );
}
