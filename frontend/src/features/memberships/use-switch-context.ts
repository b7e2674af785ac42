import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { sessionStore } from "@/api/session-store";
import { useErrorMessage } from "@/lib/use-error-message";

/** Switches the affiliate to another advertiser: a new session, and every cached view is stale. */
export function useSwitchContext() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return useMutation({
    mutationFn: (advertiserId: string) => unwrap(api.POST("/api/me/context", { body: { advertiser_id: advertiserId } })),
    onSuccess: (session) => {
      sessionStore.set(session);
      void queryClient.invalidateQueries();
      toast.success(t("context.switched", { advertiser: session.context.advertiser_name ?? "" }));
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}
