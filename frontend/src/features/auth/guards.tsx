import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import type { Role } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { useSession } from "@/features/auth/use-session";
import { ShieldOffIcon } from "lucide-react";
import { useTranslation } from "react-i18next";

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/sign-in${query}`} replace />;
  }
  return children;
}

/** Auth screens are for signed-out visitors; a signed-in user goes to the dashboard. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session) return <Navigate to="/" replace />;
  return children;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const session = useSession();
  const { t } = useTranslation();
  if (!session || !roles.includes(session.user.role)) {
    return <EmptyState icon={ShieldOffIcon} title={t("errors.forbiddenTitle")} description={t("errors.forbiddenText")} />;
  }
  return children;
}
