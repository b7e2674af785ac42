import { ShieldOffIcon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router-dom";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Spinner } from "@/components/ui/spinner";
import type { Requirement } from "@/features/auth/permissions";
import { useCan } from "@/features/auth/use-can";
import { useMyPermissions } from "@/features/auth/use-me";
import { useSession } from "@/features/auth/use-session";

/** Signed-in pages: a visitor goes to sign in; a user's pages wait for its permissions (`GET /api/me`). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/sign-in${query}`} replace />;
  }
  return <WithPermissions>{children}</WithPermissions>;
}

/** Renders its children once the user's permissions are known, so no menu item or button shows and then vanishes. */
function WithPermissions({ children }: { children: ReactNode }) {
  const me = useMyPermissions();
  if (me.isPending) {
    return (
      <div className="flex min-h-svh items-center justify-center text-muted-foreground" data-testid="permissions-loading">
        <Spinner className="size-5" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="mx-auto flex min-h-svh max-w-md items-center px-4">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return children;
}

/** Auth screens are for signed-out visitors; a signed-in user goes to the dashboard. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session) return <Navigate to="/" replace />;
  return children;
}

/** A page for those the API lets do what it shows: the others see why not, not a page of errors. */
export function RequirePermission({ permission, children }: { permission: Requirement; children: ReactNode }) {
  const can = useCan();
  const { t } = useTranslation();
  if (!can(permission)) {
    return <EmptyState icon={ShieldOffIcon} title={t("errors.forbiddenTitle")} description={t("errors.forbiddenText")} />;
  }
  return children;
}
