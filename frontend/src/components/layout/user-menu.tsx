import { BellIcon, LogOutIcon, UserCircleIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { UserText } from "@/components/user-text";
import { signOut } from "@/features/auth/sign-out";
import { useRequiredSession } from "@/features/auth/use-session";

function initials(name: string, email: string): string {
  const source = name.trim() || email;
  const parts = source.split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? (parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "") : source.slice(0, 2);
  return letters.toUpperCase();
}

export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useRequiredSession();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        data-testid="user-menu"
        aria-label={t("topbar.userMenu")}
        className="flex size-8 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        {initials(user.name, user.email)}
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="font-normal">
          <div className="truncate text-sm font-medium text-foreground">
            <UserText value={user.name || user.email} />
          </div>
          <div className="truncate text-xs text-muted-foreground">
            <UserText value={user.email} />
          </div>
          <div className="mt-1 text-xs text-muted-foreground">{t(`roles.${user.role}`)}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate("/account")}>
          <UserCircleIcon /> {t("nav.account")}
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => navigate("/settings/notifications")} data-testid="user-menu-notifications">
          <BellIcon /> {t("notifications.preferences.link")}
        </DropdownMenuItem>
        <DropdownMenuItem
          data-testid="sign-out"
          onSelect={() => {
            void signOut().then(() => navigate("/sign-in", { replace: true }));
          }}
        >
          <LogOutIcon /> {t("topbar.signOut")}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
