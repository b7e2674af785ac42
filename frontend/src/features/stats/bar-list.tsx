import { UserText } from "@/components/user-text";
import { cn } from "@/lib/cn";

export type Bar = { key: string; label: string; value: number; display: string; /** Not a filter value (a blank sub-id). */ inert?: boolean };

type BarListProps = {
  bars: Bar[];
  /** Filters by a bar's key; the bars are buttons then. */
  onSelect?: (key: string) => void;
  /** The bar currently filtered by. */
  selected?: string;
  testId: string;
};

/** A ranked list, each bar as long as its share of the largest: the top offers, the top countries. */
export function BarList({ bars, onSelect, selected, testId }: BarListProps) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <ol className="space-y-1.5" data-testid={testId} data-count={bars.length}>
      {bars.map((bar) => {
        const body = (
          <>
            <span
              className="absolute inset-y-0 left-0 rounded-md bg-primary/12 transition-[width]"
              style={{ width: `${(bar.value / max) * 100}%` }}
              aria-hidden
            />
            <UserText value={bar.label} className="relative truncate" />
            <span className="relative ml-auto shrink-0 pl-3 font-medium tabular-nums">{bar.display}</span>
          </>
        );
        const className = cn("relative flex h-8 w-full items-center rounded-md px-2.5 text-left text-sm", bar.key === selected && "ring-1 ring-primary");
        return (
          <li key={bar.key} data-testid={`${testId}-item`} data-key={bar.key} data-value={bar.value}>
            {onSelect && !bar.inert ? (
              <button
                type="button"
                className={cn(className, "hover:bg-accent/60 focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:outline-none")}
                onClick={() => onSelect(bar.key)}
                aria-pressed={bar.key === selected}
              >
                {body}
              </button>
            ) : (
              <div className={className}>{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
