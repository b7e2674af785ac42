import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router-dom";
import { AppShell } from "@/components/layout/app-shell";
import { Brand } from "@/components/layout/brand";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { Button } from "@/components/ui/button";
import { RequireAuth } from "@/features/auth/guards";
import { useSession } from "@/features/auth/use-session";

/** /pricing: inside the dashboard for whoever is signed in, on a page of its own for a visitor choosing whether to sign up. */
export function PricingFrame() {
  const session = useSession();
  if (session) {
    return (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    );
  }
  return <VisitorFrame />;
}

function VisitorFrame() {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-svh flex-col">
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b bg-background/80 px-4 backdrop-blur lg:px-8">
        <Link to="/pricing" className="min-w-0">
          <Brand />
        </Link>
        <div className="ml-auto flex items-center gap-2">
          <LanguageSwitch />
          <ThemeSwitch />
          <Button asChild variant="ghost" size="sm" data-testid="pricing-sign-in">
            <Link to="/sign-in">{t("auth.signIn.submit")}</Link>
          </Button>
          <Button asChild size="sm" data-testid="pricing-sign-up">
            <Link to="/sign-up">{t("plans.pricing.startTrial")}</Link>
          </Button>
        </div>
      </header>
      <main className="mx-auto w-full max-w-6xl flex-1 space-y-6 px-4 py-8 lg:px-8">
        <Outlet />
      </main>
    </div>
  );
}
