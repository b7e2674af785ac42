import { useTranslation } from "react-i18next";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { REJECTION_REASONS, type DecisionValues } from "@/features/conversions/decision-schema";

type Reason = DecisionValues["reason"];

type ReasonSelectProps = { id: string; value: Reason; onChange: (reason: Reason) => void; invalid: boolean; testId: string };

/** The reason an advertiser gives for rejecting conversions; empty until one is chosen. */
export function ReasonSelect({ id, value, onChange, invalid, testId }: ReasonSelectProps) {
  const { t } = useTranslation();
  return (
    <Select value={value} onValueChange={(next) => onChange(next as Reason)}>
      <SelectTrigger id={id} aria-invalid={invalid} data-testid={testId}>
        <SelectValue placeholder={t("conversions.reasonPlaceholder")} />
      </SelectTrigger>
      <SelectContent>
        {REJECTION_REASONS.map((reason) => (
          <SelectItem key={reason} value={reason} data-testid={`${testId}-${reason}`}>
            {t(`conversions.reasons.${reason}`)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
