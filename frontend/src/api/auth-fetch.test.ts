import { describe, expect, it, vi } from "vitest";
import { createAuthFetch, singleFlight } from "@/api/auth-fetch";

const ok = () => new Response("{}", { status: 200 });
const unauthorized = () => new Response('{"error":{"code":"token_expired","message":"expired"}}', { status: 401 });

/** A fake server: accepts only the current token. */
function server(validToken: { current: string }) {
  const seen: { url: string; auth: string | null; body: string }[] = [];
  const baseFetch = vi.fn(async (request: Request) => {
    seen.push({ url: request.url, auth: request.headers.get("Authorization"), body: await request.text() });
    return request.headers.get("Authorization") === `Bearer ${validToken.current}` ? ok() : unauthorized();
  });
  return { baseFetch, seen };
}

describe("singleFlight", () => {
  it("shares one run between concurrent callers and runs again afterwards", async () => {
    let runs = 0;
    let release: (value: number) => void = () => undefined;
    const once = singleFlight(() => {
      runs += 1;
      return new Promise<number>((resolve) => (release = resolve));
    });

    const first = once();
    const second = once();
    release(7);

    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(runs).toBe(1);

    const third = once();
    release(8);
    expect(await third).toBe(8);
    expect(runs).toBe(2);
  });
});

describe("createAuthFetch", () => {
  it("refreshes once for concurrent 401s and retries each request with the new token", async () => {
    const valid = { current: "new-token" };
    const { baseFetch, seen } = server(valid);
    let token = "old-token";
    const refreshCall = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      token = "new-token";
      return token;
    });
    const onSessionLost = vi.fn();
    const authFetch = createAuthFetch({ baseFetch, getAccessToken: () => token, refresh: singleFlight(refreshCall), onSessionLost });

    const responses = await Promise.all([
      authFetch(new Request("http://app.test/api/team")),
      authFetch(new Request("http://app.test/api/registration-links", { method: "POST", body: '{"label":"x"}' })),
      authFetch(new Request("http://app.test/api/memberships")),
    ]);

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(refreshCall).toHaveBeenCalledTimes(1);
    expect(onSessionLost).not.toHaveBeenCalled();
    const retriedPost = seen.filter((call) => call.url.endsWith("/api/registration-links") && call.auth === "Bearer new-token");
    expect(retriedPost).toHaveLength(1);
    expect(retriedPost[0]?.body).toBe('{"label":"x"}');
  });

  it("ends the session when the refresh fails", async () => {
    const { baseFetch } = server({ current: "something-else" });
    const onSessionLost = vi.fn();
    const authFetch = createAuthFetch({ baseFetch, getAccessToken: () => "old-token", refresh: async () => null, onSessionLost });

    const response = await authFetch(new Request("http://app.test/api/me"));

    expect(response.status).toBe(401);
    expect(onSessionLost).toHaveBeenCalledTimes(1);
    expect(baseFetch).toHaveBeenCalledTimes(1);
  });

  it("does not refresh for a 401 from the auth endpoints (wrong password is not an expired token)", async () => {
    const { baseFetch } = server({ current: "valid" });
    const refresh = vi.fn(async () => "valid");
    const authFetch = createAuthFetch({ baseFetch, getAccessToken: () => "stale", refresh, onSessionLost: vi.fn() });

    const response = await authFetch(new Request("http://app.test/api/auth/login", { method: "POST", body: "{}" }));

    expect(response.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("does not refresh when no access token was sent", async () => {
    const { baseFetch } = server({ current: "valid" });
    const refresh = vi.fn(async () => "valid");
    const authFetch = createAuthFetch({ baseFetch, getAccessToken: () => null, refresh, onSessionLost: vi.fn() });

    expect((await authFetch(new Request("http://app.test/api/me"))).status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });
});
