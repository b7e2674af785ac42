import type { TFunction } from "i18next";
import type { LoggedWork } from "@/api/types";

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

/** The HTTP status of the latest attempt (of a delivery, or of an operation), if it got an answer. */
export function lastHttpStatus(work: LoggedWork): number | null {
  return work.history.at(-1)?.http_status ?? null;
}

/** Attempts made out of those allowed, "2 / 8". */
export function attemptsOf(work: LoggedWork): string {
  return `${work.attempts} / ${work.max_attempts}`;
}
