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
