import i18n from "i18next";
import createClient from "openapi-fetch";
import { createAuthFetch, singleFlight } from "@/api/auth-fetch";
import type { paths } from "@/api/schema";
import { CSRF_HEADER, sessionStore } from "@/api/session-store";
import type { Session } from "@/api/types";

/**
 * Asks for a new session: the browser sends the refresh cookie, the page proves it is the page by
 * copying the readable CSRF cookie into X-CSRF-Token. Single-flight, see `singleFlight`.
 */
export const refreshSession = singleFlight(async (): Promise<Session | null> => {
  const csrf = sessionStore.csrfToken();
  if (!csrf) return null;
  try {
    const response = await fetch("/api/auth/refresh", {
      method: "POST",
      credentials: "same-origin",
      headers: { [CSRF_HEADER]: csrf },
    });
    if (!response.ok) {
      // Only a definite refusal ends the session; a network hiccup keeps the cookie for another try.
      if (response.status === 401 || response.status === 403) sessionStore.forgetRefusedSession();
      return null;
    }
    const session = (await response.json()) as Session;
    sessionStore.set(session);
    return session;
  } catch {
    return null;
  }
});

/** The fetch every API client uses: bearer token, one refresh on 401, and the dashboard's language. */
export const authFetch = createAuthFetch({
  baseFetch: (request) => {
    // The API answers in the signed-in user's stored language, else in the one asked for here.
    request.headers.set("Accept-Language", i18n.resolvedLanguage ?? "en");
    return fetch(request);
  },
  getAccessToken: () => sessionStore.accessToken(),
  refresh: async () => (await refreshSession())?.access_token ?? null,
  onSessionLost: () => sessionStore.clear(),
});

/** The typed API client; every call goes through the refresh-once-on-401 fetch. */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authFetch });
