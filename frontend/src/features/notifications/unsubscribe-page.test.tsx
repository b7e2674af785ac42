import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/api-error";
import type { Portal } from "@/api/types";
import { BrandProvider } from "@/features/branding/brand-provider";
import { portalKeys } from "@/features/branding/portal";
import { UnsubscribeView } from "@/features/notifications/unsubscribe-page";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: the view is given the request's state, and the portal is in the cache.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));
vi.mock("@/components/layout/brand", () => ({ Brand: () => null }));
vi.mock("@/components/layout/language-switch", () => ({ LanguageSwitch: () => null }));
vi.mock("@/components/layout/theme-switch", () => ({ ThemeSwitch: () => null }));
vi.mock("@/i18n", () => ({ currentLanguage: () => "en" }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: INTERPOLATION });
});

const platform: Portal = {
  advertiser_id: null,
  platform: true,
  brand: {
    name: "Network",
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
  },
};

type ViewProps = Parameters<typeof UnsubscribeView>[0];
const asked: ViewProps = { token: "tok_1", status: "idle", result: null, error: null, onConfirm: () => undefined };

async function render(props: Partial<ViewProps>, language = "en"): Promise<string> {
  await i18n.changeLanguage(language);
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(portalKeys.host, platform);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <BrandProvider>
          <MemoryRouter>
            <UnsubscribeView {...asked} {...props} />
          </MemoryRouter>
        </BrandProvider>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

/** The opening tag of the confirm button. */
const confirmButton = (html: string) => /<button[^>]*data-testid="unsubscribe-confirm"[^>]*>/.exec(html)?.[0] ?? "";

describe("the unsubscribe page", () => {
  it("asks first, saying what stops and that security notices do not", async () => {
    const html = await render({});
    expect(html).toContain('data-testid="unsubscribe-ask"');
    expect(html).toContain("Unsubscribe from these e-mails?");
    expect(html).toContain("Security notices");
    expect(confirmButton(html)).not.toContain(' disabled=""');
  });

  it("holds the button while the request is on its way", async () => {
    const html = await render({ status: "pending" });
    expect(confirmButton(html)).toContain(' disabled=""');
  });

  it("confirms which notice was turned off for which address, and links the preferences", async () => {
    const html = await render({ status: "success", result: { type: "conversion.sale", email: "ann@example.com" } });
    expect(html).toContain('data-testid="unsubscribe-done"');
    expect(html).toContain("We no longer send “New sale” e-mails to");
    expect(html).toContain("ann@example.com");
    expect(html).toContain('href="/settings/notifications"');
  });

  it("says it in Russian", async () => {
    const html = await render({ status: "success", result: { type: "payout.paid", email: "ann@example.com" } }, "ru");
    expect(html).toContain("Письма «Выплата произведена» больше не будут приходить на адрес");
  });

  it("explains a refused token in the API's words", async () => {
    const html = await render({ status: "error", error: new ApiError(400, "token_expired", "") });
    expect(html).toContain('data-testid="unsubscribe-failed"');
    expect(html).toContain(en.errors.codes.token_expired);
  });

  it("says the link is broken when it has no token, without asking", async () => {
    const html = await render({ token: "" });
    expect(html).toContain('data-testid="unsubscribe-failed"');
    expect(html).toContain("This link has no unsubscribe token.");
    expect(html).not.toContain('data-testid="unsubscribe-confirm"');
  });
});
