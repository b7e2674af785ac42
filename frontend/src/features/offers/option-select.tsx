import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

type OptionSelectProps<Value extends string> = {
  id?: string;
  value: Value;
  onChange: (value: Value) => void;
  options: readonly Value[];
  label: (value: Value) => string;
  testId?: string;
  ariaLabel?: string;
  className?: string;
};

/** A select over a closed set of values (an enum of the API), each shown by its translated label. */
export function OptionSelect<Value extends string>({ id, value, onChange, options, label, testId, ariaLabel, className }: OptionSelectProps<Value>) {
  return (
    <Select value={value} onValueChange={(next) => onChange(next as Value)}>
      <SelectTrigger id={id} data-testid={testId} aria-label={ariaLabel} className={className}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((option) => (
          <SelectItem key={option} value={option} data-testid={testId ? `${testId}-${option}` : undefined}>
            {label(option)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
