import { PlusIcon, Trash2Icon } from "lucide-react";
import { Controller, useFieldArray, type UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useMe } from "@/features/auth/use-me";
import { EventCheckboxes } from "@/features/postbacks/event-checkboxes";
import { emptyOverride, MAX_OVERRIDES, overrideAdvertisers, type PostbackFormValues } from "@/features/postbacks/postback-form";
import type { MacroTarget } from "@/features/postbacks/use-macro-target";

type OverridesEditorProps = {
  form: UseFormReturn<PostbackFormValues>;
  registerUrl: MacroTarget["registerUrl"];
};

/** Rows that send an advertiser's (or one offer's) events elsewhere, or nowhere. */
export function OverridesEditor({ form, registerUrl }: OverridesEditorProps) {
  const { t } = useTranslation();
  const me = useMe();
  const { control } = form;
  const { errors } = form.formState;
  const { fields, append, remove } = useFieldArray({ control, name: "overrides" });
  const rows = form.watch("overrides");
  const globalEvents = form.watch("events");
  const advertisers = overrideAdvertisers(
    me.data?.memberships ?? [],
    rows.map((row) => row.advertiser_id),
  );

  return (
    <div className="space-y-3" data-testid="postback-overrides">
      {fields.length === 0 ? <p className="text-sm text-muted-foreground">{t("postbacks.overrides.empty")}</p> : null}
      {fields.map((field, index) => {
        const rowErrors = errors.overrides?.[index];
        const sameEvents = rows[index]?.sameEvents ?? true;
        return (
          <div key={field.id} className="space-y-3 rounded-lg border p-3" data-testid={`postback-override-${index}`}>
            <div className="grid items-start gap-3 sm:grid-cols-[14rem_10rem_1fr_auto]">
              <Field id={`override-${index}-advertiser`} label={t("postbacks.overrides.advertiser")} error={rowErrors?.advertiser_id?.message}>
                <Controller
                  control={control}
                  name={`overrides.${index}.advertiser_id`}
                  render={({ field: advertiser }) => (
                    <Select value={advertiser.value} onValueChange={advertiser.onChange}>
                      <SelectTrigger
                        id={`override-${index}-advertiser`}
                        aria-invalid={!!rowErrors?.advertiser_id}
                        data-testid={`postback-override-advertiser-${index}`}
                      >
                        <SelectValue placeholder={me.isPending ? t("common.loading") : t("postbacks.overrides.advertiserPlaceholder")} />
                      </SelectTrigger>
                      <SelectContent>
                        {advertisers.map((option) => (
                          <SelectItem key={option.id} value={option.id} disabled={!option.active}>
                            {option.active ? option.name : t("postbacks.overrides.inactive", { name: option.name })}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  )}
                />
              </Field>
              <Field id={`override-${index}-offer`} label={t("postbacks.overrides.offer")} error={rowErrors?.offer_id?.message}>
                <Input
                  id={`override-${index}-offer`}
                  placeholder={t("postbacks.overrides.allOffers")}
                  className="font-mono"
                  aria-invalid={!!rowErrors?.offer_id}
                  data-testid={`postback-override-offer-${index}`}
                  {...form.register(`overrides.${index}.offer_id`)}
                />
              </Field>
              <Field id={`override-${index}-url`} label={t("postbacks.overrides.url")} error={rowErrors?.url?.message}>
                <Input
                  id={`override-${index}-url`}
                  placeholder={t("postbacks.overrides.urlPlaceholder")}
                  className="font-mono text-xs"
                  spellCheck={false}
                  aria-invalid={!!rowErrors?.url}
                  data-testid={`postback-override-url-${index}`}
                  {...registerUrl(`overrides.${index}.url`)}
                />
              </Field>
              <Button
                variant="ghost"
                size="icon"
                className="text-muted-foreground sm:mt-[22px]"
                aria-label={t("postbacks.overrides.remove")}
                onClick={() => remove(index)}
                data-testid={`postback-override-remove-${index}`}
              >
                <Trash2Icon />
              </Button>
            </div>
            <Controller
              control={control}
              name={`overrides.${index}.sameEvents`}
              render={({ field: same }) => (
                <label htmlFor={`override-${index}-same`} className="flex w-fit items-center gap-2 text-sm">
                  <Checkbox
                    id={`override-${index}-same`}
                    checked={same.value}
                    onCheckedChange={(checked) => {
                      // Choosing events for this row starts from the global ones.
                      if (checked !== true) form.setValue(`overrides.${index}.events`, globalEvents);
                      same.onChange(checked === true);
                    }}
                    data-testid={`postback-override-same-${index}`}
                  />
                  {t("postbacks.overrides.sameEvents")}
                </label>
              )}
            />
            {sameEvents ? null : (
              <Controller
                control={control}
                name={`overrides.${index}.events`}
                render={({ field: events }) => (
                  <EventCheckboxes
                    value={events.value}
                    onChange={events.onChange}
                    idPrefix={`postback-override-${index}-event`}
                    label={t("postbacks.eventsLabel")}
                  />
                )}
              />
            )}
          </div>
        );
      })}
      <Button variant="outline" size="sm" onClick={() => append(emptyOverride())} disabled={fields.length >= MAX_OVERRIDES} data-testid="postback-override-add">
        <PlusIcon /> {t("postbacks.overrides.add")}
      </Button>
    </div>
  );
}
