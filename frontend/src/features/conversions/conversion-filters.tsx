import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { ConversionQuery, ConversionStatus } from "@/api/types";
import { DateRangeFilter } from "@/components/date-range-filter";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { dateRangeFromParams } from "@/lib/date-range";

export const CONVERSION_STATUSES: ConversionStatus[] = ["pending", "hold", "approved", "rejected"];
const DEFAULT_DAYS = 7;

function isStatus(value: string | null): value is ConversionStatus {
  return value !== null && (CONVERSION_STATUSES as string[]).includes(value);
}

/** The conversions filter kept in the URL: `from`, `to` (the last 7 days by default) and `status`. */
export function useConversionFilters() {
  const [params, setParams] = useSearchParams();
  const { from, to } = dateRangeFromParams(params, DEFAULT_DAYS);
  const raw = params.get("status");
  const status = isStatus(raw) ? raw : undefined;
  const query: ConversionQuery = { from, to, ...(status ? { status } : {}) };
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return { from, to, status, query, setParam };
}

type ConversionFiltersProps = ReturnType<typeof useConversionFilters> & { idPrefix: string };

export function ConversionFilters({ from, to, status, setParam, idPrefix }: ConversionFiltersProps) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <DateRangeFilter from={from} to={to} onChange={setParam} idPrefix={idPrefix} />
      <Tabs value={status ?? "all"} onValueChange={(value) => setParam("status", value === "all" ? undefined : value)}>
        <TabsList className="max-w-full overflow-x-auto">
          <TabsTrigger value="all" data-testid={`${idPrefix}-filter-all`}>
            {t("common.all")}
          </TabsTrigger>
          {CONVERSION_STATUSES.map((value) => (
            <TabsTrigger key={value} value={value} data-testid={`${idPrefix}-filter-${value}`}>
              {t(`conversions.filter.${value}`)}
            </TabsTrigger>
          ))}
        </TabsList>
      </Tabs>
    </div>
  );
}
