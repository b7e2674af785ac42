import { useTranslation } from "react-i18next";
import { Label } from "@/components/ui/label";
import { OptionSelect } from "@/features/offers/option-select";

const ALL = "all";

type FilterSelectProps<Value extends string> = {
  id: string;
  label: string;
  /** The chosen value, or undefined for no filter. */
  value: Value | undefined;
  options: readonly Value[];
  optionLabel: (value: Value) => string;
  onChange: (value: Value | undefined) => void;
  testId: string;
};

/** A list filter over a closed set of values, with "all" for no filter. */
export function FilterSelect<Value extends string>({ id, label, value, options, optionLabel, onChange, testId }: FilterSelectProps<Value>) {
  const { t } = useTranslation();
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <OptionSelect<Value | typeof ALL>
        id={id}
        value={value ?? ALL}
        onChange={(next) => onChange(next === ALL ? undefined : (next as Value))}
        options={[ALL, ...options]}
        label={(option) => (option === ALL ? t("common.all") : optionLabel(option as Value))}
        className="w-44"
        testId={testId}
      />
    </div>
  );
}
