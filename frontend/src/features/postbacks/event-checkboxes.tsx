import { useTranslation } from "react-i18next";
import type { PostbackEvent } from "@/api/types";
import { Checkbox } from "@/components/ui/checkbox";
import { eventLabel } from "@/features/operations/operation-labels";
import { orderedEvents, POSTBACK_EVENTS } from "@/features/postbacks/postback-form";

type EventCheckboxesProps = {
  value: PostbackEvent[];
  onChange: (events: PostbackEvent[]) => void;
  /** Each box gets `<idPrefix>-<event>` as id and test id. */
  idPrefix: string;
  label: string;
};

/** The events a postback URL is called for, one box each. */
export function EventCheckboxes({ value, onChange, idPrefix, label }: EventCheckboxesProps) {
  const { t } = useTranslation();
  return (
    <div role="group" aria-label={label} className="flex flex-wrap gap-x-5 gap-y-2">
      {POSTBACK_EVENTS.map((event) => (
        <label key={event} htmlFor={`${idPrefix}-${event}`} className="flex items-center gap-2 text-sm">
          <Checkbox
            id={`${idPrefix}-${event}`}
            checked={value.includes(event)}
            onCheckedChange={(checked) => onChange(orderedEvents(checked === true ? [...value, event] : value.filter((chosen) => chosen !== event)))}
            data-testid={`${idPrefix}-${event}`}
          />
          {eventLabel(t, event)}
        </label>
      ))}
    </div>
  );
}
