import { useSearchParams } from "react-router-dom";
import { operationFiltersFromParams, withFilter, type OperationFilterName } from "@/features/operations/operation-filters";

/** An operations list's filters, kept in the page's URL so a filtered view can be shared and reloaded. */
export function useOperationFilters() {
  const [params, setParams] = useSearchParams();
  const filters = operationFiltersFromParams(params);
  const setFilter = (name: OperationFilterName, value: string | undefined) => setParams(withFilter(params, name, value), { replace: true });
  return { filters, setFilter };
}
