import { UserText } from "@/components/user-text";
import { useBrand } from "@/features/branding/brand-provider";
import { cn } from "@/lib/cn";
import { useTheme } from "@/theme/theme-provider";

/**
 * The page's brand mark: the brand's logo for the current theme (each is drawn for its background,
 * so the other one is never shown in its place), else its initial and its name.
 */
export function Brand({ className }: { className?: string }) {
  const { brand } = useBrand();
  const { resolved } = useTheme();
  const logo = resolved === "dark" ? brand.logo_dark_url : brand.logo_light_url;
  if (logo) {
    return (
      <div className={cn("flex items-center", className)}>
        <img src={logo} alt={brand.name} className="h-8 w-auto max-w-44 object-contain" data-testid="brand-logo" />
      </div>
    );
  }
  const initial = Array.from(brand.name.trim())[0]?.toLocaleUpperCase() ?? "";
  return (
    <div className={cn("flex min-w-0 items-center gap-2 font-semibold tracking-tight", className)}>
      <span aria-hidden className="flex size-7 shrink-0 items-center justify-center rounded-lg bg-primary text-sm text-primary-foreground">
        {initial}
      </span>
      <UserText value={brand.name} className="truncate" testId="brand-name" />
    </div>
  );
}
