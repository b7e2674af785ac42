import { useEffect, useState, type ReactNode } from "react";
import { refreshSession } from "@/api/client";
import { sessionStore } from "@/api/session-store";
import { Spinner } from "@/components/ui/spinner";

/** Restores the session from its refresh cookie (when one is set) before the first route renders. */
export function SessionBootstrap({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(() => !sessionStore.csrfToken());

  useEffect(() => {
    if (ready) return;
    void refreshSession().finally(() => setReady(true));
  }, [ready]);

  if (!ready) {
    return (
      <div className="flex min-h-svh items-center justify-center text-muted-foreground">
        <Spinner className="size-5" />
      </div>
    );
  }
  return children;
}
