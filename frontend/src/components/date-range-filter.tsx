import { useTranslation } from "react-i18next";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { DateRange } from "@/lib/date-range";

type DateRangeFilterProps = DateRange & {
  onChange: (key: keyof DateRange, value: string | undefined) => void;
  /** Prefix of the inputs' ids and test ids: `<idPrefix>-from`, `<idPrefix>-to`. */
  idPrefix: string;
};

/** The "From" and "To" day inputs of a list filtered by date. */
export function DateRangeFilter({ from, to, onChange, idPrefix }: DateRangeFilterProps) {
  const { t } = useTranslation();
  return (
    <>
      <div className="grid gap-1.5">
        <Label htmlFor={`${idPrefix}-from`}>{t("common.from")}</Label>
        <Input
          id={`${idPrefix}-from`}
          type="date"
          value={from}
          max={to}
          onChange={(event) => onChange("from", event.target.value || undefined)}
          className="w-40"
          data-testid={`${idPrefix}-from`}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${idPrefix}-to`}>{t("common.to")}</Label>
        <Input
          id={`${idPrefix}-to`}
          type="date"
          value={to}
          min={from}
          onChange={(event) => onChange("to", event.target.value || undefined)}
          className="w-40"
          data-testid={`${idPrefix}-to`}
        />
      </div>
    </>
  );
}
