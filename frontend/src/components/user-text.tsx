import { bidiParts, showBidiControls } from "@/lib/bidi";
import { cn } from "@/lib/cn";

type UserTextProps = {
  value: string | null | undefined;
  /** Shown (muted) when there is no text. */
  fallback?: string;
  className?: string;
  /** A tooltip, typically the whole text where it is truncated: its controls are shown too. */
  title?: string | null;
  testId?: string;
};

/**
 * Text a visitor or another user wrote (a sub-id, a user agent, an offer, user or file name): in its
 * own bidi isolate, so right-to-left text cannot reorder what stands around it, and with every bidi
 * control shown as a marker instead of obeyed. Nothing else about the text changes.
 */
export function UserText({ value, fallback = "—", className, title, testId }: UserTextProps) {
  if (value === null || value === undefined || value === "") {
    return <span className={cn("text-muted-foreground", className)}>{fallback}</span>;
  }
  return (
    <bdi className={className} title={title ? showBidiControls(title) : undefined} data-testid={testId}>
      {bidiParts(value).map((part, index) =>
        "control" in part ? (
          <span key={index} className="rounded-sm bg-warning/15 px-0.5 font-mono text-[0.8em]" title={part.control} data-bidi-control={part.control}>
            [{part.control}]
          </span>
        ) : (
          part.text
        ),
      )}
    </bdi>
  );
}

/** A person in a table cell: the name over the e-mail, both as text the person wrote. */
export function PersonCell({ name, email }: { name: string | null | undefined; email: string | null | undefined }) {
  return (
    <div className="min-w-0">
      <div className="font-medium">
        <UserText value={name} />
      </div>
      <div className="text-xs text-muted-foreground">
        <UserText value={email} />
      </div>
    </div>
  );
}
