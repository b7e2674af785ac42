import { useEffect, useState } from "react";

/** The current time, moving on every `everyMs`: relative times ("5 minutes ago") and countdowns follow it. */
export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
