import type { TFunction } from "i18next";

/** A notice type ("conversion.sale") as people read it; a type this dashboard does not know yet shows as it is. */
export function eventTypeName(t: TFunction, type: string): string {
  return t(`notifications.events.${type}.name`, { defaultValue: type });
}
