import type { PublicBrand } from "@/api/types";
import { parseColor } from "@/features/branding/contrast";

/** The page's icon when its brand has none: the one index.html's build ships (public/favicon.svg). */
export const DEFAULT_ICON = { href: "/favicon.svg", type: "image/svg+xml" } as const;

/**
 * The theme's tokens (src/index.css) each brand colour sets: the primary colour is the buttons' and
 * the focus ring's, the accent the highlighted items' (the current page in the sidebar, menus).
 * A brand without colours keeps the theme's, light and dark.
 */
export function brandTokens(brand: PublicBrand): [token: string, value: string | null][] {
  return [
    ["--primary", brand.primary_color],
    ["--ring", brand.primary_color],
    ["--primary-foreground", brand.primary_text_color],
    ["--accent", brand.accent_color],
    ["--accent-foreground", brand.accent_text_color],
  ];
}

/** The little of a document a brand changes: its title, its icon link and its root element's style. */
export type BrandedDocument = {
  title: string;
  documentElement: { style: { setProperty(name: string, value: string): void; removeProperty(name: string): string } };
  querySelector(selectors: string): { setAttribute(name: string, value: string): void; removeAttribute(name: string): void } | null;
};

/** Shows `brand` on the page: `title` as its title, the brand's icon (or the default one) and colours (or the theme's). */
export function applyBrand(page: BrandedDocument, brand: PublicBrand, title: string): void {
  page.title = title;
  const style = page.documentElement.style;
  for (const [token, value] of brandTokens(brand)) {
    // The API keeps "#rrggbb" only; anything else is left to the theme rather than written into a style.
    const color = value === null ? undefined : parseColor(value);
    if (color) style.setProperty(token, color);
    else style.removeProperty(token);
  }
  const icon = page.querySelector('link[rel~="icon"]');
  if (!icon) return;
  if (brand.favicon_url) {
    icon.setAttribute("href", brand.favicon_url);
    icon.removeAttribute("type"); // PNG or ICO: the browser reads it from the answer
  } else {
    icon.setAttribute("href", DEFAULT_ICON.href);
    icon.setAttribute("type", DEFAULT_ICON.type);
  }
}
