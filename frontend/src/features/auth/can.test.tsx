import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router-dom";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/api/session-store";
import type { Permission, Role, User } from "@/api/types";
import { SidebarContent } from "@/components/layout/sidebar";
import { ROLE_PERMISSIONS } from "@/features/auth/matrix.fixture";
import { meQueryKey } from "@/features/auth/use-me";
import { UsersPage } from "@/features/users/users-page";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: every answer a screen needs is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));
// The brand's mark (the page's brand and theme) is not what these screens are told apart by.
vi.mock("@/components/layout/brand", () => ({ Brand: () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});
afterEach(() => sessionStore.clear());

const person = (id: string, role: Role): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  status: "active",
  email_verified: true,
  mfa_enabled: false,
  locale: "en",
  advertiser_id: null,
  created_at: "2026-01-01T00:00:00Z",
});

/**
 * Renders a screen for a signed-in user whose `GET /api/me` listed `permissions`. Its role is the same
 * in every case: only the permissions differ, so only they can change what shows.
 */
function renderFor(permissions: readonly Permission[], screen: ReactNode, cached: [readonly unknown[], unknown][] = []): string {
  const user = person("me", "platform_admin");
  sessionStore.set({ access_token: "token", expires_in: 900, user, context: { advertiser_id: null, advertiser_name: null } });
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(meQueryKey(user.id), { user, context: { advertiser_id: null, advertiser_name: null }, memberships: [], permissions });
  for (const [key, data] of cached) client.setQueryData(key, data);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MemoryRouter>{screen}</MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("can(): what shows follows the permissions /api/me lists", () => {
  it("shows a sidebar item to a user with its permission and hides it from one without", () => {
    // Given two users told apart only by "monitor"
    const keeper = renderFor(["users:read", "monitor"], <SidebarContent />);
    const other = renderFor(["users:read"], <SidebarContent />);
    // Then only the first gets the monitor, both the users' list
    expect(keeper).toContain('data-testid="nav-monitor"');
    expect(other).not.toContain('data-testid="nav-monitor"');
    expect(keeper).toContain('data-testid="nav-users"');
    expect(other).toContain('data-testid="nav-users"');
  });

  it("gives the advertiser switcher only to those who switch context", () => {
    expect(renderFor(["context:switch", "offers:run"], <SidebarContent />)).toContain('data-testid="advertiser-switcher-empty"');
    expect(renderFor(["offers:run"], <SidebarContent />)).not.toContain("advertiser-switcher");
  });

  it("shows each role's sidebar from its permissions, whatever its role is called", () => {
    const html = renderFor(ROLE_PERMISSIONS.affiliate, <SidebarContent />);
    expect(html).toContain('data-testid="nav-my-offers"');
    expect(html).toContain('data-testid="nav-postbacks"');
    expect(html).not.toContain('data-testid="nav-users"');
  });

  it("offers the invite button and user actions only with users:manage, and staff only with users:manage:staff", () => {
    // Given a list with a platform admin, a support user and an advertiser's person
    const users = [person("admin-2", "platform_admin"), person("helper", "support"), person("boss", "advertiser")];
    const cached: [readonly unknown[], unknown][] = [[["users", {}], { items: users }]];
    // When someone who only reads users looks at it
    const reader = renderFor(["users:read"], <UsersPage />, cached);
    // Then nothing can be changed from it
    expect(reader).not.toContain('data-testid="users-invite"');
    expect(reader).not.toContain("user-actions-");
    // When a manager of users without staff rights looks: the advertiser's person can be changed, no staff
    const manager = renderFor(["users:read", "users:manage"], <UsersPage />, cached);
    expect(manager).toContain('data-testid="users-invite"');
    expect(manager).toContain('data-testid="user-actions-boss"');
    expect(manager).not.toContain('data-testid="user-actions-helper"');
    expect(manager).not.toContain('data-testid="user-actions-admin-2"');
    // And with users:manage:staff (the owner's), every one
    const owner = renderFor(["users:read", "users:manage", "users:manage:staff"], <UsersPage />, cached);
    expect(owner).toContain('data-testid="user-actions-admin-2"');
    expect(owner).toContain('data-testid="user-actions-helper"');
  });

  it("gives support a menu of help for advertisers' and affiliates' people only, and no invite button", () => {
    const users = [person("helper-2", "support"), person("boss", "advertiser")];
    const cached: [readonly unknown[], unknown][] = [[["users", {}], { items: users }]];
    const support = renderFor(["users:read", "support:help", "view_as"], <UsersPage />, cached);
    expect(support).not.toContain('data-testid="users-invite"');
    expect(support).toContain('data-testid="user-actions-boss"');
    expect(support).not.toContain('data-testid="user-actions-helper-2"');
  });
});
