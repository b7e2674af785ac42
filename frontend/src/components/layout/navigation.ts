import {
  ActivityIcon,
  BadgePercentIcon,
  BuildingIcon,
  ChartColumnIcon,
  FileDownIcon,
  FileClockIcon,
  HandshakeIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  Link2Icon,
  LinkIcon,
  ReceiptTextIcon,
  ScrollTextIcon,
  SendIcon,
  SettingsIcon,
  UserCircleIcon,
  UsersIcon,
  UsersRoundIcon,
  WalletIcon,
  WebhookIcon,
  type LucideIcon,
} from "lucide-react";
import type { Role } from "@/api/types";

export type NavItem = { to: string; labelKey: string; icon: LucideIcon };

type NavEntry = { to: string; icon: LucideIcon; labels: Partial<Record<Role, string>> };

const ALL: Role[] = ["owner", "platform_admin", "advertiser", "affiliate", "support"];
const each = (roles: Role[], key: string) => Object.fromEntries(roles.map((role) => [role, key])) as Partial<Record<Role, string>>;

/** The sidebar, in order; an entry shows for the roles that have a label for it. */
const ENTRIES: NavEntry[] = [
  { to: "/", icon: LayoutDashboardIcon, labels: each(ALL, "nav.dashboard") },
  { to: "/offers", icon: BadgePercentIcon, labels: each(["advertiser"], "nav.offers") },
  { to: "/conversions", icon: ReceiptTextIcon, labels: each(["advertiser"], "nav.conversions") },
  { to: "/my/offers", icon: BadgePercentIcon, labels: each(["affiliate"], "nav.offers") },
  { to: "/my/conversions", icon: ReceiptTextIcon, labels: each(["affiliate"], "nav.conversions") },
  { to: "/link-builder", icon: LinkIcon, labels: each(["affiliate"], "nav.linkBuilder") },
  { to: "/postbacks", icon: WebhookIcon, labels: each(["affiliate"], "nav.postbacks") },
  { to: "/reports", icon: ChartColumnIcon, labels: each(ALL, "nav.reports") },
  // The click and conversion logs; a click's own page (/clicks/:id) belongs to them.
  { to: "/clicks", icon: ScrollTextIcon, labels: each(ALL, "nav.logs") },
  { to: "/exports", icon: FileDownIcon, labels: each(ALL, "nav.exports") },
  // Balances and payouts: every role has a view of them, the server decides whose.
  { to: "/finance", icon: WalletIcon, labels: each(ALL, "nav.finance") },
  { to: "/deliveries", icon: SendIcon, labels: each(["owner", "platform_admin", "support", "advertiser", "affiliate"], "nav.deliveries") },
  { to: "/users", icon: UsersIcon, labels: each(["owner", "platform_admin", "support"], "nav.users") },
  { to: "/advertisers", icon: BuildingIcon, labels: each(["owner", "platform_admin"], "nav.advertisers") },
  { to: "/monitor", icon: ActivityIcon, labels: each(["owner", "platform_admin"], "nav.monitor") },
  { to: "/memberships", icon: HandshakeIcon, labels: { advertiser: "nav.affiliates", affiliate: "nav.myAdvertisers" } },
  { to: "/registration-links", icon: Link2Icon, labels: each(["advertiser"], "nav.registrationLinks") },
  { to: "/team", icon: UsersRoundIcon, labels: each(["advertiser"], "nav.team") },
  { to: "/api-keys", icon: KeyRoundIcon, labels: each(["advertiser"], "nav.apiKeys") },
  { to: "/settings", icon: SettingsIcon, labels: each(["advertiser"], "nav.settings") },
  { to: "/audit", icon: FileClockIcon, labels: each(["owner", "platform_admin", "support", "advertiser"], "nav.audit") },
  { to: "/account", icon: UserCircleIcon, labels: each(ALL, "nav.account") },
];

export function navigationFor(role: Role): NavItem[] {
  return ENTRIES.flatMap(({ to, icon, labels }) => {
    const labelKey = labels[role];
    return labelKey ? [{ to, icon, labelKey }] : [];
  });
}

/** The roles that may open a path; the route guards use the same table as the sidebar. */
export function rolesFor(path: string): Role[] {
  const entry = ENTRIES.find((candidate) => candidate.to === path);
  return entry ? (Object.keys(entry.labels) as Role[]) : [];
}
