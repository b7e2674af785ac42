import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { User } from "@/api/types";
import { ViewAsBanner } from "@/features/support/view-as-banner";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { INTERPOLATION } from "@/i18n/interpolation";

const refreshSession = vi.fn<() => Promise<unknown>>();
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: () => refreshSession() }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => {
  sessionStore.clear();
  refreshSession.mockReset();
});

const boss: User = {
  id: "usr_boss",
  email: "boss@acme.example",
  name: "Ada Boss",
  role: "advertiser",
  status: "active",
  email_verified: true,
  mfa_enabled: false,
  locale: "en",
  advertiser_id: "adv_1",
  created_at: "2026-01-01T00:00:00Z",
};
const context = { advertiser_id: "adv_1", advertiser_name: "Acme" };

function render(): string {
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <ViewAsBanner />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the view-as banner", () => {
  it("marks every page staff view as a user: whose dashboard, read-only, and the way back", () => {
    sessionStore.view({ access_token: "viewing", expires_in: 600, user: boss, context });
    const html = render();
    expect(html).toContain('data-testid="view-as-banner"');
    expect(html).toContain("Viewing as");
    expect(html).toContain("Ada Boss");
    expect(html).toContain("read-only");
    expect(html).toContain('data-testid="view-as-leave"');
  });

  it("is not shown in the user's own session", () => {
    sessionStore.set({ access_token: "own", expires_in: 900, user: boss, context });
    expect(render()).toBe("");
  });

  it("has its words in Russian too", async () => {
    await i18n.changeLanguage("ru");
    sessionStore.view({ access_token: "viewing", expires_in: 600, user: boss, context });
    const html = render();
    await i18n.changeLanguage("en");
    expect(html).toContain("Просмотр от имени");
    expect(html).toContain("только чтение");
  });
});

describe("leaving a view", () => {
  it("brings back the staff member's own session from its refresh cookie", async () => {
    const { leaveViewAs } = await import("@/features/support/view-as");
    sessionStore.view({ access_token: "viewing", expires_in: 600, user: boss, context });
    const staff: User = { ...boss, id: "usr_support", role: "support", advertiser_id: null, name: "Sam" };
    refreshSession.mockImplementation(async () => {
      sessionStore.set({ access_token: "own", expires_in: 900, user: staff, context: { advertiser_id: null, advertiser_name: null } });
      return {};
    });
    await leaveViewAs();
    expect(sessionStore.get()).toMatchObject({ accessToken: "own", user: { id: "usr_support" } });
    expect(sessionStore.get()?.viewedAs).toBeUndefined();
  });

  it("signs out when the staff member's own session has ended as well", async () => {
    const { leaveViewAs } = await import("@/features/support/view-as");
    sessionStore.view({ access_token: "viewing", expires_in: 600, user: boss, context });
    refreshSession.mockResolvedValue(null);
    await leaveViewAs();
    expect(sessionStore.get()).toBeNull();
  });
});
