import { RotateCcwIcon } from "lucide-react";
import { Controller, useWatch, type Control, type FieldErrors, type UseFormSetValue } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { BrandFormValues, COLOR_PAIRS } from "@/features/branding/brand-form";
import { formatContrast, MIN_CONTRAST, pairContrast, parseColor } from "@/features/branding/contrast";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";

type ColorName = (typeof COLOR_PAIRS)[number]["color" | "text"];

type ColorPairFieldProps = {
  pair: (typeof COLOR_PAIRS)[number];
  labels: { color: string; text: string };
  hint: string;
  control: Control<BrandFormValues>;
  errors: FieldErrors<BrandFormValues>;
  setValue: UseFormSetValue<BrandFormValues>;
};

/** A colour and the colour of text on it, with their contrast ratio as the API will judge it. */
export function ColorPairField({ pair, labels, hint, control, errors, setValue }: ColorPairFieldProps) {
  const { t } = useTranslation();
  const [color, text] = useWatch({ control, name: [pair.color, pair.text] });
  const clear = () => {
    for (const name of [pair.color, pair.text]) setValue(name, "", { shouldDirty: true, shouldValidate: true });
  };
  return (
    <div role="group" aria-labelledby={`brand-pair-${pair.color}-title`} className="space-y-3 rounded-lg border p-4" data-testid={`brand-pair-${pair.color}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="space-y-0.5">
          <p id={`brand-pair-${pair.color}-title`} className="text-sm font-medium">
            {labels.color}
          </p>
          <p className="text-xs text-muted-foreground">{hint}</p>
        </div>
        <div className="flex items-center gap-2">
          <ContrastBadge color={color} text={text} testId={`brand-contrast-${pair.color}`} />
          <Button type="button" variant="ghost" size="sm" onClick={clear} disabled={color === "" && text === ""}>
            <RotateCcwIcon /> {t("brand.colors.reset")}
          </Button>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <ColorInput name={pair.color} label={labels.color} control={control} error={errors[pair.color]?.message} />
        <ColorInput name={pair.text} label={labels.text} control={control} error={errors[pair.text]?.message} />
      </div>
    </div>
  );
}

/** A colour as a swatch to pick from and as "#rrggbb" to type; empty keeps the standard theme's. */
function ColorInput({ name, label, control, error }: { name: ColorName; label: string; control: Control<BrandFormValues>; error?: string }) {
  const { t } = useTranslation();
  const id = `brand-${name}`;
  return (
    <Field id={id} label={label} error={error}>
      <Controller
        control={control}
        name={name}
        render={({ field }) => {
          const parsed = parseColor(field.value);
          return (
            <div className="flex items-center gap-2">
              <input
                type="color"
                aria-label={t("brand.colors.pick", { name: label })}
                // A swatch cannot be empty: with no colour it shows black, dimmed, until one is picked.
                value={parsed ?? "#000000"}
                onChange={(event) => field.onChange(event.target.value)}
                className={cn("h-9 w-11 shrink-0 cursor-pointer rounded-md border border-input bg-transparent p-1", parsed ? "" : "opacity-40")}
                data-testid={`${id}-swatch`}
              />
              <Input
                id={id}
                value={field.value}
                onChange={field.onChange}
                onBlur={() => {
                  // "#ABC" becomes "#aabbcc" as the API will keep it.
                  if (parsed && parsed !== field.value) field.onChange(parsed);
                  field.onBlur();
                }}
                placeholder={t("brand.colors.themeDefault")}
                spellCheck={false}
                autoComplete="off"
                maxLength={16}
                className="font-mono"
                aria-invalid={!!error}
                data-testid={id}
              />
            </div>
          );
        }}
      />
    </Field>
  );
}

function ContrastBadge({ color, text, testId }: { color: string; text: string; testId: string }) {
  const { t, i18n } = useTranslation();
  const ratio = pairContrast(color, text);
  if (ratio === undefined) return null;
  const readable = ratio >= MIN_CONTRAST;
  return (
    <Badge variant={readable ? "success" : "destructive"} data-testid={testId} data-readable={readable}>
      {t(readable ? "brand.colors.readable" : "brand.colors.unreadable", {
        ratio: formatContrast(ratio, i18n.language),
        min: formatNumber(MIN_CONTRAST, i18n.language),
      })}
    </Badge>
  );
}
