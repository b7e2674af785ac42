import type { Permission } from "@/api/types";

/**
 * What a screen needs: one permission, or any of several (`["stats:read:own", "stats:read:any"]`);
 * nothing for what every signed-in user may open.
 */
export type Requirement = Permission | readonly Permission[] | undefined;

/** Whether `granted` meets `required`. */
export function permits(granted: ReadonlySet<Permission>, required: Requirement): boolean {
  if (required === undefined) return true;
  return typeof required === "string" ? granted.has(required) : required.some((permission) => granted.has(permission));
}
