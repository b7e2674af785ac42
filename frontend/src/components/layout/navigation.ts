import {
  ActivityIcon,
  BadgePercentIcon,
  BuildingIcon,
  ChartColumnIcon,
  CreditCardIcon,
  FileDownIcon,
  FileClockIcon,
  GaugeIcon,
  GlobeIcon,
  HandshakeIcon,
  KeyRoundIcon,
  LandmarkIcon,
  LayersIcon,
  LayoutDashboardIcon,
  Link2Icon,
  LinkIcon,
  PaletteIcon,
  ReceiptTextIcon,
  ScrollTextIcon,
  SendIcon,
  SettingsIcon,
  ShieldAlertIcon,
  ShieldBanIcon,
  UserCircleIcon,
  UsersIcon,
  UsersRoundIcon,
  RadioTowerIcon,
  WalletIcon,
  WebhookIcon,
  type LucideIcon,
} from "lucide-react";
import type { Permission } from "@/api/types";
import { permits, type Requirement } from "@/features/auth/permissions";

export type NavItem = { to: string; labelKey: string; icon: LucideIcon };

/** A sidebar entry and what the API must allow for it: the permission its page's main call needs (any of several). */
type NavEntry = NavItem & { permission?: Requirement };

const STATS: Permission[] = ["stats:read:any", "stats:read:own", "stats:read:affiliate"];
/**
 * The sidebar, in order. A path may have several entries (the advertiser's affiliates, the affiliate's
 * advertisers): a user gets the first it is allowed. The route guards read the same table.
 */
const ENTRIES: NavEntry[] = [
  { to: "/", icon: LayoutDashboardIcon, labelKey: "nav.dashboard" },
  // An advertiser's offers and conversions: its own, or (platform staff) those of the advertiser picked.
  { to: "/offers", icon: BadgePercentIcon, labelKey: "nav.offers", permission: ["workspace:read:own", "workspace:read:any"] },
  { to: "/conversions", icon: ReceiptTextIcon, labelKey: "nav.conversions", permission: ["workspace:read:own", "workspace:read:any"] },
  // Fraud rules and the conversions they hold for review (any advertiser's, picked, for staff).
  { to: "/fraud-rules", icon: ShieldAlertIcon, labelKey: "fraud.nav", permission: ["workspace:read:own", "workspace:read:any"] },
  { to: "/my/offers", icon: BadgePercentIcon, labelKey: "nav.offers", permission: "offers:run" },
  { to: "/my/conversions", icon: ReceiptTextIcon, labelKey: "nav.conversions", permission: "offers:run" },
  { to: "/link-builder", icon: LinkIcon, labelKey: "nav.linkBuilder", permission: "offers:run" },
  { to: "/postbacks", icon: WebhookIcon, labelKey: "nav.postbacks", permission: "postbacks:own" },
  { to: "/reports", icon: ChartColumnIcon, labelKey: "nav.reports", permission: STATS },
  // issue 20 (report): flagged and refused traffic and what fraud rules did, by affiliate, offer or sub-id
  { to: "/fraud-report", icon: GaugeIcon, labelKey: "fraudReport.nav", permission: STATS },
  // The click and conversion logs; a click's own page (/clicks/:id) belongs to them.
  { to: "/clicks", icon: ScrollTextIcon, labelKey: "nav.logs", permission: STATS },
  { to: "/exports", icon: FileDownIcon, labelKey: "nav.exports", permission: STATS },
  // Balances and payouts: the advertiser's books, any advertiser's, or an affiliate's own accounts.
  { to: "/finance", icon: WalletIcon, labelKey: "nav.finance", permission: ["finance:read:own", "finance:read:any", "finance:read:affiliate"] },
  { to: "/deliveries", icon: SendIcon, labelKey: "nav.deliveries", permission: ["deliveries:read:any", "deliveries:read:own", "postbacks:own"] },
  { to: "/webhooks", icon: RadioTowerIcon, labelKey: "nav.webhooks", permission: "webhooks:own" },
  { to: "/users", icon: UsersIcon, labelKey: "nav.users", permission: "users:read" },
  { to: "/advertisers", icon: BuildingIcon, labelKey: "nav.advertisers", permission: "advertisers:read" },
  { to: "/monitor", icon: ActivityIcon, labelKey: "nav.monitor", permission: "monitor" },
  // The platform's own business, the Owner's: its subscribers' revenue, and the plans they choose from.
  { to: "/admin/billing", icon: LandmarkIcon, labelKey: "nav.subscriptions", permission: "billing:manage:any" },
  { to: "/admin/plans", icon: LayersIcon, labelKey: "nav.plans", permission: "plans:manage" },
  { to: "/memberships", icon: HandshakeIcon, labelKey: "nav.affiliates", permission: "workspace:read:own" },
  { to: "/memberships", icon: HandshakeIcon, labelKey: "nav.myAdvertisers", permission: "memberships:own" },
  { to: "/registration-links", icon: Link2Icon, labelKey: "nav.registrationLinks", permission: "workspace:read:own" },
  { to: "/team", icon: UsersRoundIcon, labelKey: "nav.team", permission: "credentials:manage:own" },
  { to: "/api-keys", icon: KeyRoundIcon, labelKey: "nav.apiKeys", permission: "credentials:manage:own" },
  { to: "/settings", icon: SettingsIcon, labelKey: "nav.settings", permission: "workspace:read:own" },
  // What the advertiser's affiliates see: its brand (changed by its people, or by the Owner for it),
  // and its own domains (read like the rest of its settings, changed by those who manage them).
  { to: "/brand", icon: PaletteIcon, labelKey: "nav.brand", permission: ["branding:manage:own", "branding:manage:any"] },
  { to: "/domains", icon: GlobeIcon, labelKey: "nav.domains", permission: ["workspace:read:own", "workspace:read:any"] },
  // Visitors whose clicks go to the fallback: the advertiser's own list (an offer's is on its page).
  { to: "/block-lists", icon: ShieldBanIcon, labelKey: "blocks.nav", permission: ["workspace:read:own", "workspace:read:any"] },
  { to: "/audit", icon: FileClockIcon, labelKey: "nav.audit", permission: ["audit:read:platform", "audit:read:own"] },
  // What the advertiser pays the platform: its plan, usage and invoices (any advertiser's, picked, for staff).
  { to: "/billing", icon: CreditCardIcon, labelKey: "nav.billing", permission: ["billing:read:own", "billing:read:any"] },
  { to: "/account", icon: UserCircleIcon, labelKey: "nav.account" },
];

/** The sidebar of a user with these permissions. */
export function navigationFor(granted: ReadonlySet<Permission>): NavItem[] {
  const shown = new Set<string>();
  return ENTRIES.flatMap(({ permission, ...item }) => {
    if (shown.has(item.to) || !permits(granted, permission)) return [];
    shown.add(item.to);
    return [item];
  });
}

/** What a path needs: any of its entries' permissions (undefined: every signed-in user). The route guards use the sidebar's table. */
export function permissionFor(path: string): Requirement {
  const entries = ENTRIES.filter((entry) => entry.to === path);
  if (entries.length === 0) return [];
  if (entries.some((entry) => entry.permission === undefined)) return undefined;
  return entries.flatMap((entry) => (typeof entry.permission === "string" ? [entry.permission] : (entry.permission ?? [])));
}
