import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { MeOut, Suspension, User } from "@/api/types";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { SuspensionBanner } from "@/features/suspension/suspension-banner";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import ru from "@/i18n/ru.json";

// Nothing here reaches the API: what /api/me answered is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const user: User = {
  id: "usr_1",
  email: "ada@example.com",
  name: "Ada",
  role: "advertiser",
  status: "active",
  email_verified: true,
  mfa_enabled: false,
  locale: "en",
  advertiser_id: "adv_1",
  created_at: "2026-01-01T00:00:00Z",
};

async function render(suspension: Suspension | null, language = "en"): Promise<string> {
  await i18n.changeLanguage(language);
  const context = { advertiser_id: "adv_1", advertiser_name: "Acme" };
  sessionStore.set({ access_token: "token", expires_in: 900, user, context });
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const me: MeOut = { user, context, memberships: [], permissions: [...ROLE_PERMISSIONS.advertiser], suspension };
  client.setQueryData(meQueryKey(user.id), me);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <SuspensionBanner />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the suspension banner", () => {
  it("tells a suspended advertiser's people why, and that the dashboard only reads", async () => {
    const html = await render({ scope: "advertiser", reason: "Chargebacks <b>unpaid</b>", since: "2026-12-01T10:00:00.000Z" });
    expect(html).toContain('data-testid="suspension-banner"');
    expect(html).toContain(en.suspension.banner.advertiser);
    expect(html).toContain("Reason: Chargebacks &lt;b&gt;unpaid&lt;/b&gt;");
    expect(html).toContain("but not change it");
  });

  it("says it in Russian, naming the program for an affiliate suspended in one", async () => {
    const html = await render({ scope: "program", reason: "фейковые лиды", since: null }, "ru");
    expect(html).toContain(ru.suspension.banner.program);
    expect(html).toContain("Причина: фейковые лиды");
    expect(html).not.toContain(en.suspension.banner.advertiser);
  });

  it("shows nothing while the account is active", async () => {
    expect(await render(null)).toBe("");
  });
});
