import { BuildingIcon, MenuIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation } from "react-router-dom";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { SidebarContent } from "@/components/layout/sidebar";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { UserMenu } from "@/components/layout/user-menu";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetTitle } from "@/components/ui/sheet";
import { UserText } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { SubscriptionBanner, SubscriptionLockRedirect } from "@/features/billing/subscription-banner";
import { NotificationBell } from "@/features/notifications/notification-bell";
import { SuspensionBanner } from "@/features/suspension/suspension-banner";
import { ViewAsBanner } from "@/features/support/view-as-banner";

function ContextBadge() {
  const { t } = useTranslation();
  const { context } = useRequiredSession();
  const can = useCan();
  // Who works within one advertiser at a time sees which one.
  if (!can("context:switch")) return null;
  return (
    <div data-testid="current-context" className="hidden min-w-0 items-center gap-2 rounded-md border px-2.5 py-1 text-xs sm:flex">
      <BuildingIcon className="size-3.5 text-muted-foreground" />
      <span className="text-muted-foreground">{t("context.workingIn")}</span>
      <UserText value={context.advertiser_name} fallback={t("context.none")} className="truncate font-medium" />
    </div>
  );
}

export function AppShell() {
  const { t } = useTranslation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  return (
    <div className="flex min-h-svh">
      <aside className="sticky top-0 hidden h-svh w-64 shrink-0 border-r border-sidebar-border bg-sidebar lg:block">
        <SidebarContent />
      </aside>
      <Sheet open={drawerOpen} onOpenChange={setDrawerOpen}>
        <SheetContent>
          <SheetTitle className="sr-only">{t("nav.label")}</SheetTitle>
          <SheetDescription className="sr-only">{t("nav.label")}</SheetDescription>
          <SidebarContent onNavigate={() => setDrawerOpen(false)} />
        </SheetContent>
      </Sheet>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b bg-background/80 px-4 backdrop-blur lg:px-8">
          <Button variant="ghost" size="icon-sm" className="lg:hidden" aria-label={t("topbar.openMenu")} onClick={() => setDrawerOpen(true)}>
            <MenuIcon />
          </Button>
          <ContextBadge />
          <div className="ml-auto flex items-center gap-2">
            <LanguageSwitch />
            <ThemeSwitch />
            <NotificationBell />
            <UserMenu />
          </div>
        </header>
        <SubscriptionLockRedirect />
        <main key={location.pathname} className="mx-auto w-full max-w-6xl flex-1 space-y-6 px-4 py-6 lg:px-8 lg:py-8">
          <ViewAsBanner />
          <SubscriptionBanner />
          <SuspensionBanner />
          <Outlet />
        </main>
      </div>
    </div>
  );
}
