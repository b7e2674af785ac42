import { LayoutDashboardIcon, LinkIcon } from "lucide-react";
import { useWatch, type Control } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { BrandFormValues } from "@/features/branding/brand-form";
import { parseColor } from "@/features/branding/contrast";

/** A colour of the form, else the theme's token it would replace. */
const colorOr = (value: string | undefined, token: string) => parseColor(value ?? "") ?? `var(${token})`;

/**
 * The form's colours where the portal will use them, as they are typed: the primary colour on a
 * button, the accent on the link of the page one is on in the menu, and the name's mark.
 */
export function BrandPreview({ control }: { control: Control<BrandFormValues> }) {
  const { t } = useTranslation();
  const [name, primary, primaryText, accent, accentText] = useWatch({
    control,
    name: ["portal_name", "primary_color", "primary_text_color", "accent_color", "accent_text_color"],
  });
  const primaryStyle = { backgroundColor: colorOr(primary, "--primary"), color: colorOr(primaryText, "--primary-foreground") };
  const accentStyle = { backgroundColor: colorOr(accent, "--accent"), color: colorOr(accentText, "--accent-foreground") };
  const initial = Array.from(name.trim())[0]?.toLocaleUpperCase() ?? "";
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium">{t("brand.colors.preview")}</p>
      {/* A picture of the portal: nothing in it can be focused or followed. */}
      <div inert className="grid gap-4 rounded-lg border bg-sidebar p-4 sm:grid-cols-[minmax(0,14rem)_1fr]" data-testid="brand-preview">
        <div className="space-y-2">
          <div className="flex min-w-0 items-center gap-2 font-semibold tracking-tight">
            <span className="flex size-7 shrink-0 items-center justify-center rounded-lg text-sm" style={primaryStyle}>
              {initial}
            </span>
            <bdi className="truncate">{name.trim() || "…"}</bdi>
          </div>
          <span className="flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium text-muted-foreground">
            <LayoutDashboardIcon className="size-4" /> {t("nav.dashboard")}
          </span>
          <a href="#" className="flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium" style={accentStyle} data-testid="brand-preview-link">
            <LinkIcon className="size-4" /> {t("nav.linkBuilder")}
          </a>
        </div>
        <div className="flex flex-col items-start justify-center gap-3 rounded-md bg-background p-4">
          <p className="text-sm text-muted-foreground">{t("brand.colors.previewText")}</p>
          <button
            type="button"
            className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium shadow-xs"
            style={primaryStyle}
            data-testid="brand-preview-button"
          >
            {t("brand.colors.previewButton")}
          </button>
        </div>
      </div>
    </div>
  );
}
