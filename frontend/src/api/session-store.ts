import type { Session, SessionContext, User } from "@/api/types";

const REFRESH_KEY = "partnerka.refresh_token";

export type SessionState = {
  accessToken: string;
  user: User;
  context: SessionContext;
};

type Listener = () => void;

/**
 * The signed-in session. The access token lives in memory only; the refresh token is kept in
 * localStorage so a reload can restore the session with one refresh call.
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

  refreshToken(): string | null {
    try {
      return localStorage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  }

  set(session: Session): void {
    try {
      localStorage.setItem(REFRESH_KEY, session.refresh_token);
    } catch {
      // Storage can be unavailable (private mode); the session then lasts until reload.
    }
    this.state = { accessToken: session.access_token, user: session.user, context: session.context };
    this.emit();
  }

  updateUser(patch: Partial<User>): void {
    if (!this.state) return;
    this.state = { ...this.state, user: { ...this.state.user, ...patch } };
    this.emit();
  }

  clear(): void {
    try {
      localStorage.removeItem(REFRESH_KEY);
    } catch {
      // nothing to clear
    }
    if (this.state === null) return;
    this.state = null;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const sessionStore = new SessionStore();
