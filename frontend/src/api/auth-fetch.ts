/** Paths whose 401 means "wrong credentials or token", never "access token expired". */
const NO_REFRESH_PREFIX = "/api/auth/";

export type AuthFetchOptions = {
  baseFetch: (request: Request) => Promise<Response>;
  getAccessToken: () => string | null;
  /** Obtains a fresh session; resolves to the new access token, or null when the session is gone. */
  refresh: () => Promise<string | null>;
  /** Called once the session could not be renewed. */
  onSessionLost: () => void;
};

/**
 * Wraps a single refresh so concurrent callers share one request: refresh tokens rotate, so two
 * parallel refreshes with the same token would revoke the whole session.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

function withToken(request: Request, token: string | null): Request {
  const next = new Request(request);
  if (token) next.headers.set("Authorization", `Bearer ${token}`);
  return next;
}

/**
 * A fetch that sends the access token and, when an authenticated call answers 401, refreshes the
 * session once and retries the call with the new token.
 */
export function createAuthFetch({ baseFetch, getAccessToken, refresh, onSessionLost }: AuthFetchOptions) {
  return async (request: Request): Promise<Response> => {
    const token = getAccessToken();
    const retryCopy = request.clone();
    const response = await baseFetch(withToken(request, token));
    const path = new URL(request.url, "http://localhost").pathname;
    if (response.status !== 401 || !token || path.startsWith(NO_REFRESH_PREFIX)) return response;

    const fresh = await refresh();
    if (!fresh) {
      onSessionLost();
      return response;
    }
    const retried = await baseFetch(withToken(retryCopy, fresh));
    if (retried.status === 401) onSessionLost();
    return retried;
  };
}
