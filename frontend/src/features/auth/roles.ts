import type { Role } from "@/api/types";

/** Owner, platform admin and support see every advertiser's data and may narrow it to one. */
export const PLATFORM_STAFF: readonly Role[] = ["owner", "platform_admin", "support"];

export function isPlatformStaff(role: Role): boolean {
  return PLATFORM_STAFF.includes(role);
}

/** The affiliate replays its own deliveries, owner and platform admin anyone's; the others only look. */
export function mayReplayDeliveries(role: Role): boolean {
  return role === "affiliate" || role === "owner" || role === "platform_admin";
}

/** The advertiser pays its affiliates and sets its finance rules; owner and platform admin may too, support only looks. */
export function mayManageFinance(role: Role): boolean {
  return role === "advertiser" || role === "owner" || role === "platform_admin";
}

/** Money an advertiser sent the platform is recorded by owner and platform admin only. */
export function mayRecordTopups(role: Role): boolean {
  return role === "owner" || role === "platform_admin";
}
