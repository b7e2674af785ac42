import { useTranslation } from "react-i18next";
import { DateRangeFilter } from "@/components/date-range-filter";
import { Label } from "@/components/ui/label";
import { OptionSelect } from "@/features/offers/option-select";
import { DATE_PRESETS, rangeParams, type ChosenRange, type DateRange, type RangeChoice } from "@/lib/date-range";

const CHOICES: readonly RangeChoice[] = [...DATE_PRESETS, "custom"];

type DateRangePickerProps = {
  range: ChosenRange;
  /** The URL parameters to change: `range`, or `from` and `to` for a custom range. */
  onChange: (changes: Record<string, string | undefined>) => void;
  /** Prefix of the ids and test ids: `<idPrefix>-range`, `<idPrefix>-from`, `<idPrefix>-to`. */
  idPrefix: string;
};

/** A period by name (today, last 7 days, …) or, for "custom", from one day to another. */
export function DateRangePicker({ range, onChange, idPrefix }: DateRangePickerProps) {
  const { t } = useTranslation();
  return (
    <>
      <div className="grid gap-1.5">
        <Label htmlFor={`${idPrefix}-range`}>{t("stats.period")}</Label>
        <OptionSelect<RangeChoice>
          id={`${idPrefix}-range`}
          value={range.choice}
          // "Custom" starts from the days shown, so the table does not jump.
          onChange={(choice) => onChange(rangeParams(choice, range))}
          options={CHOICES}
          label={(choice) => t(`stats.presets.${choice}`)}
          className="w-48"
          testId={`${idPrefix}-range`}
        />
      </div>
      {range.choice === "custom" ? (
        <DateRangeFilter
          from={range.from}
          to={range.to}
          idPrefix={idPrefix}
          onChange={(key: keyof DateRange, value) => {
            if (value) onChange(rangeParams("custom", { ...range, [key]: value }));
          }}
        />
      ) : null}
    </>
  );
}
