import { ApiError } from "@/api/api-error";

/** Whether a failed call says the advertiser's subscription no longer opens the dashboard (402 `subscription_inactive`): suspended or canceled. */
export function isSubscriptionInactive(error: unknown): boolean {
  return error instanceof ApiError && error.status === 402 && error.code === "subscription_inactive";
}

type Listener = () => void;

/**
 * The API said the subscription is inactive, and nobody has acted on it yet. The query client reports
 * it (one place, beside the 401 handling); the app shell takes it and sends the advertiser to the
 * billing page, where paying reactivates it.
 */
class SubscriptionLock {
  private reported = false;
  private listeners = new Set<Listener>();

  get = (): boolean => this.reported;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  report(): void {
    if (this.reported) return;
    this.reported = true;
    this.emit();
  }

  /** Acted on: the next refusal reports again. */
  take(): void {
    if (!this.reported) return;
    this.reported = false;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const subscriptionLock = new SubscriptionLock();
