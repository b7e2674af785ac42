import { useSearchParams } from "react-router-dom";
import { withParams, type ParamChanges } from "@/features/stats/stats-params";

/** A statistics page's URL parameters, and how to change them (a change of view starts from the first page). */
export function useStatsParams() {
  const [params, setParams] = useSearchParams();
  const change = (changes: ParamChanges) => setParams(withParams(params, changes), { replace: true });
  return [params, change] as const;
}
