import { cn } from "@/lib/cn";

export function Brand({ className }: { className?: string }) {
  return (
    <div className={cn("flex items-center gap-2 font-semibold tracking-tight", className)}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" className="fill-primary" />
        <path d="M10 23V9h7a5 5 0 0 1 0 10h-3v4z" fill="none" stroke="white" strokeWidth="2.6" strokeLinejoin="round" />
      </svg>
      <span>Partnerka</span>
    </div>
  );
}
