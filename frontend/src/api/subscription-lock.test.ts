import { afterEach, describe, expect, it } from "vitest";
import { toApiError, type ApiError } from "@/api/api-error";
import { queryClient } from "@/api/query-client";
import { sessionStore } from "@/api/session-store";
import { isSubscriptionInactive, subscriptionLock } from "@/api/subscription-lock";
import type { Session } from "@/api/types";

const session: Session = {
  access_token: "token",
  expires_in: 900,
  user: {
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
  },
  context: { advertiser_id: "adv_1", advertiser_name: "Acme" },
};

const inactive = () => toApiError(402, { error: { code: "subscription_inactive", message: "Your subscription is suspended." } });

afterEach(() => {
  sessionStore.clear();
  subscriptionLock.take();
  queryClient.clear();
});

/** A query of the app's client that the API refuses with `error`. */
async function refusedQuery(error: ApiError): Promise<void> {
  await queryClient.fetchQuery({ queryKey: ["refused", Math.random()], queryFn: () => Promise.reject(error), retry: false }).catch(() => undefined);
}

describe("an inactive subscription", () => {
  it("is a 402 with the code subscription_inactive, nothing else", () => {
    expect(isSubscriptionInactive(inactive())).toBe(true);
    expect(isSubscriptionInactive(toApiError(402, { error: { code: "payment_failed", message: "declined" } }))).toBe(false);
    expect(isSubscriptionInactive(toApiError(403, { error: { code: "subscription_inactive", message: "" } }))).toBe(false);
    expect(isSubscriptionInactive(new Error("subscription_inactive"))).toBe(false);
  });

  it("is reported once by the query client, from any query, while someone is signed in", async () => {
    sessionStore.set(session);
    let heard = 0;
    const unsubscribe = subscriptionLock.subscribe(() => (heard += 1));
    await refusedQuery(inactive());
    await refusedQuery(inactive());
    unsubscribe();
    expect(subscriptionLock.get()).toBe(true);
    expect(heard).toBe(1);
  });

  it("reports again once the last report was acted on", async () => {
    sessionStore.set(session);
    await refusedQuery(inactive());
    subscriptionLock.take();
    expect(subscriptionLock.get()).toBe(false);
    await refusedQuery(inactive());
    expect(subscriptionLock.get()).toBe(true);
  });

  it("is not reported for other refusals, nor for a visitor", async () => {
    sessionStore.set(session);
    await refusedQuery(toApiError(402, { error: { code: "payment_failed", message: "declined" } }));
    expect(subscriptionLock.get()).toBe(false);
    sessionStore.clear();
    await refusedQuery(inactive());
    expect(subscriptionLock.get()).toBe(false);
  });
});
