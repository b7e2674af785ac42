import { ArrowLeftIcon, EyeIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { useRequiredSession } from "@/features/auth/use-session";
import { leaveViewAs } from "@/features/support/view-as";

/** The mark on every page while staff view a user's dashboard: whose, that nothing can be changed, and the way back. */
export function ViewAsBanner() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user, viewedAs } = useRequiredSession();
  const [leaving, setLeaving] = useState(false);
  if (!viewedAs) return null;
  const back = async () => {
    setLeaving(true);
    await leaveViewAs();
    navigate("/users", { replace: true });
  };
  return (
    <div
      role="status"
      data-testid="view-as-banner"
      className="flex flex-col gap-2 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm sm:flex-row sm:items-center"
    >
      <EyeIcon className="size-4 shrink-0" />
      <p className="min-w-0 flex-1">
        <span className="font-medium">
          {t("support.viewAs.banner")} <UserText value={user.name || user.email} />
        </span>{" "}
        — {t("support.viewAs.readOnly")}
      </p>
      <Button size="sm" variant="outline" disabled={leaving} onClick={() => void back()} data-testid="view-as-leave">
        {leaving ? <Spinner /> : <ArrowLeftIcon />}
        {t("support.viewAs.leave")}
      </Button>
    </div>
  );
}
