import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Portal } from "@/api/types";
import { SignInPage } from "@/features/auth/sign-in-page";
import { SignUpPage } from "@/features/auth/sign-up-page";
import { BrandProvider } from "@/features/branding/brand-provider";
import { portalKeys } from "@/features/branding/portal";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: the page's portal is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));
// The mark and the switches follow the browser (its theme, its stored language); what is asserted here is the text around them.
vi.mock("@/components/layout/brand", () => ({ Brand: () => null }));
vi.mock("@/components/layout/language-switch", () => ({ LanguageSwitch: () => null }));
vi.mock("@/components/layout/theme-switch", () => ({ ThemeSwitch: () => null }));
vi.mock("@/i18n", () => ({ currentLanguage: () => "en" }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});

const acmePortal: Portal = {
  advertiser_id: "adv_acme",
  platform: false,
  brand: {
    name: "Acme Partners",
    primary_color: "#0b5fff",
    primary_text_color: "#ffffff",
    accent_color: null,
    accent_text_color: null,
    logo_light_url: null,
    logo_dark_url: null,
    favicon_url: null,
    support_email: "help@acme.example",
    terms_url: "https://acme.example/terms",
    privacy_url: null,
  },
};
const platformHost: Portal = {
  ...acmePortal,
  advertiser_id: null,
  platform: true,
  brand: { ...acmePortal.brand, name: "Network", support_email: null, terms_url: null },
};

function renderOn(portal: Portal | null, page: ReactNode): string {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  if (portal) client.setQueryData(portalKeys.host, portal);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <BrandProvider>
          <MemoryRouter>{page}</MemoryRouter>
        </BrandProvider>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the signed-out pages under a brand", () => {
  it("name the portal's brand, link its support address and legal pages, and offer affiliates no advertiser sign-up", () => {
    const html = renderOn(acmePortal, <SignInPage />);
    expect(html).toContain("Sign in to your Acme Partners account");
    expect(html).toContain("The Acme Partners partner program");
    expect(html).toContain('href="mailto:help@acme.example"');
    expect(html).toContain('href="https://acme.example/terms"');
    expect(html).not.toContain('data-testid="brand-privacy"');
    expect(html).not.toContain('data-testid="signin-to-signup"');
    expect(html).toContain("Ask Acme Partners for a registration link");
  });

  it("send someone who would sign up on a portal to a registration link instead of the advertiser's form", () => {
    const html = renderOn(acmePortal, <SignUpPage />);
    expect(html).toContain("Join through a registration link");
    expect(html).not.toContain('data-testid="signup-form"');
  });

  it("offer advertisers their sign-up on the platform's own host, under its name", () => {
    expect(renderOn(platformHost, <SignInPage />)).toContain('data-testid="signin-to-signup"');
    expect(renderOn(platformHost, <SignUpPage />)).toContain('data-testid="signup-form"');
  });

  it("show nothing of any brand before the portal has answered", () => {
    const html = renderOn(null, <SignInPage />);
    expect(html).toContain('data-testid="brand-loading"');
    expect(html).not.toContain("Sign in to your");
  });
});
