import type { TFunction } from "i18next";
import type { Operation } from "@/api/types";

/** A postback event ("sale") as people read it; a dash for operations that are not postbacks. */
export function eventLabel(t: TFunction, event: string): string {
  return event ? t(`postbacks.events.${event}`, { defaultValue: event }) : "—";
}

/** A job type ("postback", "stats") as people read it; a type the page does not know shows as it is. */
export function operationTypeLabel(t: TFunction, type: string): string {
  return t(`operations.types.${type}`, { defaultValue: type });
}

/** A queue of the orchestrator ("reports-dlq") as people read it; a queue the page does not know shows its key. */
export function queueLabel(t: TFunction, key: string): string {
  return t(`monitor.queueNames.${key}`, { defaultValue: key });
}

/** The HTTP status of an operation's latest attempt, if it got an answer. */
export function lastHttpStatus(operation: Operation): number | null {
  return operation.history.at(-1)?.http_status ?? null;
}

/** Attempts made out of those allowed, "2 / 8". */
export function attemptsOf(operation: Operation): string {
  return `${operation.attempts} / ${operation.max_attempts}`;
}
