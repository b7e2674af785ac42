import type { Session, SessionContext, User, ViewAsOut } from "@/api/types";

/** The session's double-submit value: readable by the page, sent back in X-CSRF-Token. */
const CSRF_COOKIE = "pk_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export type SessionState = {
  accessToken: string;
  user: User;
  context: SessionContext;
  /** Staff looking at this user's dashboard, read-only ("view as"): a short token, no refresh of its own. */
  viewedAs?: true;
};

type Listener = () => void;

/** A cookie of this page's, by name (`document.cookie` lists them `name=value; …`). */
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const pair of cookies.split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

/**
 * The signed-in session. The access token lives in memory only. The refresh token is in an
 * HttpOnly cookie the page cannot read (the API sets it, Path=/api/auth): a reload restores the
 * session with one refresh call, which carries the readable `pk_csrf` cookie's value in
 * X-CSRF-Token so that no other site can make that call.
 */
class SessionStore {
  private state: SessionState | null = null;
  private listeners = new Set<Listener>();

  get = (): SessionState | null => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  accessToken(): string | null {
    return this.state?.accessToken ?? null;
  }

  /** The value the refresh and sign-out calls send in X-CSRF-Token; null when no session cookie is set. */
  csrfToken(): string | null {
    try {
      return readCookie(CSRF_COOKIE) || null;
    } catch {
      return null;
    }
  }

  set(session: Session): void {
    this.state = { accessToken: session.access_token, user: session.user, context: session.context };
    this.emit();
  }

  /**
   * Shows the dashboard as `view` (staff's read-only "view as"). The staff member's own refresh cookie
   * stays: refreshing brings its own session back, which is how a view ends (or expires).
   */
  view(view: ViewAsOut): void {
    this.state = { accessToken: view.access_token, user: view.user, context: view.context, viewedAs: true };
    this.emit();
  }

  updateUser(patch: Partial<User>): void {
    if (!this.state) return;
    this.state = { ...this.state, user: { ...this.state.user, ...patch } };
    this.emit();
  }

  /**
   * Forgets a session the server refused: the readable CSRF cookie goes (the HttpOnly refresh
   * cookie is the server's to remove), so later page loads no longer ask to refresh it.
   */
  forgetRefusedSession(): void {
    try {
      document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; Secure; SameSite=Strict`;
    } catch {
      // no document (tests): nothing to forget
    }
    this.clear();
  }

  clear(): void {
    if (this.state === null) return;
    this.state = null;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const sessionStore = new SessionStore();
