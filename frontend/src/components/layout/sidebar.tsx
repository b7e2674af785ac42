import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { Brand } from "@/components/layout/brand";
import { navigationFor } from "@/components/layout/navigation";
import { usePermissions } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { AdvertiserSwitcher } from "@/features/memberships/advertiser-switcher";
import { cn } from "@/lib/cn";

export function SidebarContent({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { user } = useRequiredSession();
  const granted = usePermissions();
  const items = navigationFor(granted);
  return (
    <div className="flex h-full flex-col">
      <div className="flex h-14 items-center px-4">
        <Brand />
      </div>
      {granted.has("context:switch") ? (
        <div className="px-3 pb-3">
          <AdvertiserSwitcher />
        </div>
      ) : null}
      <nav aria-label={t("nav.label")} className="flex-1 space-y-0.5 overflow-y-auto px-3 py-2">
        {items.map(({ to, labelKey, icon: Icon }) => (
          <NavLink
            key={to}
            to={to}
            end={to === "/"}
            onClick={onNavigate}
            data-testid={`nav-${to === "/" ? "dashboard" : to.slice(1).replaceAll("/", "-")}`}
            className={({ isActive }) =>
              cn(
                "flex h-8 items-center gap-2.5 truncate rounded-md px-2.5 text-sm font-medium whitespace-nowrap transition-colors",
                isActive ? "bg-accent text-accent-foreground" : "text-muted-foreground hover:bg-accent/60 hover:text-accent-foreground",
              )
            }
          >
            <Icon className="size-4" />
            {t(labelKey)}
          </NavLink>
        ))}
      </nav>
      <div className="border-t border-sidebar-border px-4 py-3 text-xs text-muted-foreground">{t(`roles.${user.role}`)}</div>
    </div>
  );
}
