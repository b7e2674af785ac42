import { useCan } from "@/features/auth/use-can";

/**
 * What the finance pages offer a viewer, from the permissions `GET /api/me` lists, by the rules the
 * finance API applies: the books are read with an advertiser workspace's read permissions and changed
 * with its manage ones; top-ups are recorded and decided by whoever manages every workspace; whoever
 * reads no advertiser's books (an affiliate) reads its own balances, in the advertiser it switched to.
 */
export function useFinanceAccess() {
  const can = useCan();
  const readsBooks = can(["workspace:read:own", "workspace:read:any"]);
  return {
    /** Its own balances and payouts only, within its current advertiser. */
    ownBalances: !readsBooks,
    /** Every advertiser's books: picks one, or sees them side by side. */
    everyAdvertiser: can("workspace:read:any"),
    /** Pays affiliates and sets the finance rules. */
    manages: can(["workspace:manage:own", "workspace:manage:any"]),
    /** Records the money an advertiser sent, and decides submitted top-ups. */
    recordsTopups: can("workspace:manage:any"),
    /** Submits its own top-ups for review. */
    submitsTopups: can("workspace:manage:own"),
  };
}
