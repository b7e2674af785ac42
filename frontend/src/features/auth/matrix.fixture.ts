import type { Permission, Role } from "@/api/types";

/**
 * For tests only: what `GET /api/me` answers each role today (the API's permission matrix,
 * layers/partnerka/python/partnerka/accounts/permissions.py, whose own test is
 * tests/integration/test_me_permissions.py). The dashboard itself never knows roles' permissions: it is told.
 */
const STAFF_READ: Permission[] = [
  "users:read",
  "revenue:read",
  "advertisers:read",
  "audit:read:platform",
  "workspace:read:any",
  "stats:read:any",
  "deliveries:read:any",
  "finance:read:any",
  "billing:read:any",
];
// The Platform Admin's: users, offers, statistics and the orchestrator (SPEC section 1).
const PLATFORM_MANAGE: Permission[] = [
  "users:manage",
  "workspace:manage:any",
  "monitor",
  "offers:secrets:read",
  "deliveries:replay",
  "accounts:suspend",
  "support:help",
  "view_as",
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // The Owner's alone: advertisers' money, brands and keys, the staff, plans and the platform's settings.
  owner: [
    ...STAFF_READ,
    ...PLATFORM_MANAGE,
    "finance:manage:any",
    "credentials:manage:any",
    "branding:manage:any",
    "users:manage:staff",
    "plans:manage",
    "billing:manage:any",
    "platform:settings",
  ],
  platform_admin: [...STAFF_READ, ...PLATFORM_MANAGE],
  support: [...STAFF_READ, "support:help", "view_as"],
  advertiser: [
    "audit:read:own",
    "revenue:read",
    "workspace:read:own",
    "workspace:manage:own",
    "credentials:manage:own",
    "stats:read:own",
    "deliveries:read:own",
    "offers:secrets:read",
    "finance:read:own",
    "finance:manage:own",
    "branding:manage:own",
    "webhooks:own",
    "billing:read:own",
    "billing:manage:own",
  ],
  affiliate: [
    "memberships:own",
    "context:switch",
    "offers:run",
    "stats:read:affiliate",
    "postbacks:own",
    "finance:read:affiliate",
    "finance:request:payout",
    "deliveries:replay",
    "webhooks:own",
  ],
};

export const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

export function grantedTo(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}
