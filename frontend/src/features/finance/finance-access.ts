import { useCan } from "@/features/auth/use-can";

/**
 * What the finance pages offer a viewer, from the finance permissions `GET /api/me` lists (the API's
 * tenancy rules for them: finance/access.py of the domain package).
 */
export function useFinanceAccess() {
  const can = useCan();
  return {
    /** Its own balances and payouts only, within the advertiser it switched to (an affiliate). */
    ownBalances: can("finance:read:affiliate"),
    /** Asks its advertiser to pay its approved balance. */
    requestsPayout: can("finance:request:payout"),
    /** An advertiser's whole books and its invoices: its own, or any advertiser's. */
    readsBooks: can(["finance:read:own", "finance:read:any"]),
    /** Every advertiser's books: picks one, or sees them side by side. */
    everyAdvertiser: can("finance:read:any"),
    /** Pays affiliates and sets the finance rules. */
    manages: can(["finance:manage:own", "finance:manage:any"]),
    /** Records the money an advertiser sent, and decides submitted top-ups. */
    recordsTopups: can("finance:manage:any"),
    /** Submits its own top-ups for review. */
    submitsTopups: can("finance:manage:own"),
  };
}
