import { ChevronDownIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { FilterSelect } from "@/features/operations/filter-select";
import { DateRangePicker } from "@/features/stats/date-range-picker";
import { deviceLabel } from "@/features/stats/stats-labels";
import { DEVICES, SUB_NAMES, type FilterName, type ParamChanges, type StatsFilters, type StatsScope } from "@/features/stats/stats-params";
import { TimeZoneSelect } from "@/features/stats/time-zone-select";
import type { Choice, FilterChoices } from "@/features/stats/use-filter-choices";
import { useStatsViewer } from "@/features/stats/use-stats";
import { cn } from "@/lib/cn";

type StatsFilterPanelProps = {
  scope: StatsScope;
  filters: StatsFilters;
  choices: FilterChoices;
  /** URL parameters to change; an empty value removes one. */
  onChange: (changes: ParamChanges) => void;
  /** Prefix of every control's id and test id (`reports-country`, `logs-sub1`). */
  idPrefix: string;
  /** The page's own controls (a grouping, a status), beside the period. */
  children?: ReactNode;
};

/** The filters of a report or a log: period, time zone, advertiser (staff), offer, affiliate, GEO, device, sub-ids, click. */
export function StatsFilterPanel({ scope, filters, choices, onChange, idPrefix, children }: StatsFilterPanelProps) {
  const { t } = useTranslation();
  const viewer = useStatsViewer();
  const subsSet = SUB_NAMES.filter((name) => filters[name]).length;
  const [subsOpen, setSubsOpen] = useState(subsSet > 0);
  const set = (name: FilterName) => (value: string | undefined) => onChange({ [name]: value });

  return (
    <Card data-testid={`${idPrefix}-filters`}>
      <CardContent className="space-y-4 pt-5">
        <div className="flex flex-wrap items-end gap-3">
          <DateRangePicker range={scope} onChange={onChange} idPrefix={idPrefix} />
          <TimeZoneSelect id={`${idPrefix}-tz`} value={scope.tz} onChange={(tz) => onChange({ tz })} />
          {viewer.staff ? (
            <div className="grid gap-1.5">
              <Label>{t("advertisers.advertiser")}</Label>
              <AdvertiserPicker
                value={scope.advertiserId}
                // Offers and affiliates belong to one advertiser: picking another drops them.
                onChange={(id) => onChange({ advertiser_id: id, offer_id: undefined, affiliate_id: undefined })}
                allowAll
                testId={`${idPrefix}-advertiser`}
              />
            </div>
          ) : null}
          {children}
        </div>
        <div className="flex flex-wrap items-end gap-3">
          {choices.canPickOffer ? (
            <ChoiceSelect
              id={`${idPrefix}-offer`}
              label={t("stats.filters.offer_id")}
              all={t("stats.allOffers")}
              value={filters.offer_id}
              choices={choices.offers}
              onChange={set("offer_id")}
            />
          ) : null}
          {choices.canPickAffiliate ? (
            <ChoiceSelect
              id={`${idPrefix}-affiliate`}
              label={t("stats.filters.affiliate_id")}
              all={t("stats.allAffiliates")}
              value={filters.affiliate_id}
              choices={choices.affiliates}
              onChange={set("affiliate_id")}
            />
          ) : null}
          <TextFilter
            id={`${idPrefix}-country`}
            label={t("stats.filters.country")}
            value={filters.country}
            onCommit={(value) => onChange({ country: value?.toUpperCase() })}
            pattern={/^[A-Za-z]{2}$/}
            placeholder={t("stats.countryPlaceholder")}
            maxLength={2}
            className="w-20 uppercase"
          />
          <FilterSelect
            id={`${idPrefix}-device`}
            label={t("stats.filters.device")}
            value={filters.device as (typeof DEVICES)[number] | undefined}
            options={DEVICES}
            optionLabel={(device) => deviceLabel(t, device)}
            onChange={set("device")}
            testId={`${idPrefix}-device`}
          />
          <TextFilter
            id={`${idPrefix}-os`}
            label={t("stats.filters.os")}
            value={filters.os}
            onCommit={set("os")}
            placeholder={t("stats.osPlaceholder")}
            maxLength={40}
            className="w-32"
          />
          <TextFilter
            id={`${idPrefix}-browser`}
            label={t("stats.filters.browser")}
            value={filters.browser}
            onCommit={set("browser")}
            placeholder={t("stats.browserPlaceholder")}
            maxLength={40}
            className="w-32"
          />
          <TextFilter
            id={`${idPrefix}-click_id`}
            label={t("stats.filters.click_id")}
            value={filters.click_id}
            onCommit={set("click_id")}
            maxLength={64}
            className="w-72 font-mono text-xs"
          />
        </div>
        <div className="space-y-3">
          <button
            type="button"
            className="inline-flex items-center gap-1.5 text-sm font-medium text-muted-foreground hover:text-foreground"
            aria-expanded={subsOpen}
            onClick={() => setSubsOpen((open) => !open)}
            data-testid={`${idPrefix}-subs-toggle`}
          >
            <ChevronDownIcon className={cn("size-4 transition-transform", subsOpen ? "" : "-rotate-90")} />
            {subsSet > 0 ? t("stats.subsSet", { count: subsSet }) : t("stats.subs")}
          </button>
          {subsOpen ? (
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
              {SUB_NAMES.map((name) => (
                <TextFilter
                  key={name}
                  id={`${idPrefix}-${name}`}
                  label={t(`stats.filters.${name}`)}
                  value={filters[name]}
                  onCommit={set(name)}
                  maxLength={200}
                />
              ))}
            </div>
          ) : null}
        </div>
        <p className="text-xs text-muted-foreground">{t("stats.filtersHint")}</p>
      </CardContent>
    </Card>
  );
}

type TextFilterProps = {
  id: string;
  label: string;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  placeholder?: string;
  maxLength: number;
  /** What a value must look like to be applied. */
  pattern?: RegExp;
  className?: string;
};

/** A typed filter, applied on Enter or when the field is left, so the URL does not change per key press. */
function TextFilter(props: TextFilterProps) {
  // A new value from outside (a chip removed, a link followed) starts the field again.
  return <TextFilterField key={props.value ?? ""} {...props} />;
}

function TextFilterField({ id, label, value, onCommit, placeholder, maxLength, pattern, className }: TextFilterProps) {
  const [draft, setDraft] = useState(value ?? "");
  const invalid = pattern !== undefined && draft.trim() !== "" && !pattern.test(draft.trim());
  const commit = () => {
    const next = draft.trim() || undefined;
    if (!invalid && next !== value) onCommit(next);
  };
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
        }}
        placeholder={placeholder}
        maxLength={maxLength}
        aria-invalid={invalid || undefined}
        className={cn("w-full", className)}
        data-testid={id}
      />
    </div>
  );
}

const ALL = "__all__";

type ChoiceSelectProps = {
  id: string;
  label: string;
  all: string;
  value: string | undefined;
  choices: Choice[] | undefined;
  onChange: (id: string | undefined) => void;
};

/** One of the viewer's offers or affiliates, or all of them; an id from a shared link shows even if not listed. */
function ChoiceSelect({ id, label, all, value, choices, onChange }: ChoiceSelectProps) {
  const { t } = useTranslation();
  const listed = choices ?? [];
  const shown = value && !listed.some((choice) => choice.id === value) ? [...listed, { id: value, name: value }] : listed;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value ?? ALL} onValueChange={(next) => onChange(next === ALL ? undefined : next)}>
        <SelectTrigger id={id} className="w-52" data-testid={id}>
          <SelectValue placeholder={t("common.loading")} />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{all}</SelectItem>
          {shown.map((choice) => (
            <SelectItem key={choice.id} value={choice.id} data-testid={`${id}-${choice.id}`}>
              <UserText value={choice.name} />
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
