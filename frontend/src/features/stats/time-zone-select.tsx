import { useTranslation } from "react-i18next";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { browserTimeZone } from "@/lib/date-range";

/** Zones people running traffic ask for most; the browser's own and the current one join them. */
const COMMON_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Moscow",
  "Europe/Istanbul",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "America/Sao_Paulo",
];

/** "GMT+3" for Europe/Moscow now; empty where the runtime cannot tell. */
function offsetOf(zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts(new Date());
    return parts.find((part) => part.type === "timeZoneName")?.value ?? "";
  } catch {
    return "";
  }
}

export function TimeZoneSelect({ value, onChange, id }: { value: string; onChange: (zone: string) => void; id: string }) {
  const { t } = useTranslation();
  const browser = browserTimeZone();
  const zones = [...new Set([browser, value, ...COMMON_ZONES])];
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{t("stats.timeZone")}</Label>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger id={id} className="w-64" data-testid={id}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {zones.map((zone) => (
            <SelectItem key={zone} value={zone} data-testid={`${id}-${zone}`}>
              {zone === browser ? t("stats.browserZone", { zone }) : zone}
              <span className="ml-1.5 text-xs text-muted-foreground">{offsetOf(zone)}</span>
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
