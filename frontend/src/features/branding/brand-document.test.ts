import { describe, expect, it } from "vitest";
import type { PublicBrand } from "@/api/types";
import { applyBrand, type BrandedDocument } from "@/features/branding/brand-document";

/** A page as index.html starts it: a neutral title, an icon link, no colours of its own on the root. */
class FakePage implements BrandedDocument {
  title = "…";
  readonly styles = new Map<string, string>();
  readonly icon = new Map<string, string>([
    ["rel", "icon"],
    ["href", "data:,"],
  ]);
  documentElement = {
    style: {
      setProperty: (name: string, value: string) => void this.styles.set(name, value),
      removeProperty: (name: string) => {
        const old = this.styles.get(name) ?? "";
        this.styles.delete(name);
        return old;
      },
    },
  };
  selectors: string[] = [];
  querySelector = (selectors: string) => {
    this.selectors.push(selectors);
    return {
      setAttribute: (name: string, value: string) => void this.icon.set(name, value),
      removeAttribute: (name: string) => void this.icon.delete(name),
    };
  };
}

const plain: PublicBrand = {
  name: "Acme Partners",
  primary_color: null,
  primary_text_color: null,
  accent_color: null,
  accent_text_color: null,
  logo_light_url: null,
  logo_dark_url: null,
  favicon_url: null,
  support_email: null,
  terms_url: null,
  privacy_url: null,
};
const acme: PublicBrand = {
  ...plain,
  primary_color: "#0b5fff",
  primary_text_color: "#ffffff",
  accent_color: "#ffd400",
  accent_text_color: "#111111",
  favicon_url: "/brand/adv_acme/1a2b3c.png",
};

describe("a brand applied to the page", () => {
  it("titles the page, shows the brand's icon and sets the theme's colour tokens", () => {
    const page = new FakePage();
    applyBrand(page, acme, "Offers · Acme Partners");
    expect(page.title).toBe("Offers · Acme Partners");
    expect(page.selectors).toEqual(['link[rel~="icon"]']);
    expect(Object.fromEntries(page.icon)).toEqual({ rel: "icon", href: "/brand/adv_acme/1a2b3c.png" });
    expect(Object.fromEntries(page.styles)).toEqual({
      "--primary": "#0b5fff",
      "--ring": "#0b5fff",
      "--primary-foreground": "#ffffff",
      "--accent": "#ffd400",
      "--accent-foreground": "#111111",
    });
  });

  it("gives the theme its own colours and the default icon back when the next brand has none", () => {
    const page = new FakePage();
    applyBrand(page, acme, "Acme Partners");
    applyBrand(page, { ...plain, name: "Globex" }, "Globex");
    expect(page.title).toBe("Globex");
    expect(page.styles.size).toBe(0);
    expect(Object.fromEntries(page.icon)).toEqual({ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" });
  });

  it("writes no colour into a style that is not a #rrggbb colour", () => {
    const page = new FakePage();
    applyBrand(page, { ...acme, primary_color: "red; background: url(https://evil.example)" }, "Acme Partners");
    expect(page.styles.has("--primary")).toBe(false);
    expect(page.styles.get("--primary-foreground")).toBe("#ffffff");
  });
});
