import { XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { UserText } from "@/components/user-text";
import { filterValueLabel } from "@/features/stats/stats-labels";
import { activeFilters, NO_FILTERS, type FilterName, type ParamChanges, type StatsFilters } from "@/features/stats/stats-params";

type FilterChipsProps = {
  filters: StatsFilters;
  /** An offer's or affiliate's name, where the page knows it. */
  nameOf: (name: FilterName, id: string) => string;
  onChange: (changes: ParamChanges) => void;
};

/** The filters in force, each removable: `stats-filter-<name>`, its button `stats-filter-<name>-remove`. */
export function FilterChips({ filters, nameOf, onChange }: FilterChipsProps) {
  const { t, i18n } = useTranslation();
  const active = activeFilters(filters);
  if (active.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="stats-filters">
      {active.map(([name, value]) => (
        <span
          key={name}
          className="inline-flex h-7 items-center gap-1.5 rounded-full border bg-primary/5 pr-1 pl-3 text-xs"
          data-testid={`stats-filter-${name}`}
          data-value={value}
        >
          <span className="text-muted-foreground">{t(`stats.filters.${name}`)}:</span>
          <UserText value={filterValueLabel(t, i18n.language, name, value, nameOf)} className="max-w-48 truncate font-medium" />
          <button
            type="button"
            className="inline-flex size-5 items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-accent-foreground"
            onClick={() => onChange({ [name]: undefined })}
            aria-label={t("stats.removeFilter", { name: t(`stats.filters.${name}`) })}
            data-testid={`stats-filter-${name}-remove`}
          >
            <XIcon className="size-3" />
          </button>
        </span>
      ))}
      {active.length > 1 ? (
        <Button variant="ghost" size="sm" className="h-7" onClick={() => onChange(NO_FILTERS)} data-testid="stats-filters-clear">
          {t("stats.clearFilters")}
        </Button>
      ) : null}
    </div>
  );
}
