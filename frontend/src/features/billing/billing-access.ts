import { useCan } from "@/features/auth/use-can";

/**
 * What the billing pages offer a viewer, from the billing permissions `GET /api/me` lists (the API's
 * rules for them: `billing_tenant` in accounts/permissions.py of the domain package).
 */
export function useBillingAccess() {
  const can = useCan();
  return {
    /** Its own subscription: the advertiser's people. */
    own: can("billing:read:own"),
    /** Chooses its plan and pays: the advertiser's people (its API key only reads). */
    pays: can("billing:manage:own"),
    /** Any advertiser's subscription and invoices, picked on the page: platform staff. */
    anyAdvertiser: can("billing:read:any"),
    /** Cancels, resumes and addresses another advertiser's subscription: the Owner. */
    managesAny: can("billing:manage:any"),
    /** The plans, an Enterprise subscriber's terms, bank transfers and the revenue figures: the Owner. */
    managesPlans: can("plans:manage"),
  };
}
