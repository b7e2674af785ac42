import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";

type StatusTabsProps<Status extends string> = {
  statuses: readonly Status[];
  /** The current status (from the URL), or undefined for "all". */
  value: Status | undefined;
  label: (status: Status) => string;
  testIdPrefix: string;
};

/** A status filter kept in the URL's `status` parameter ("all" removes it), as every list page has. */
export function StatusTabs<Status extends string>({ statuses, value, label, testIdPrefix }: StatusTabsProps<Status>) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  return (
    <Tabs
      value={value ?? "all"}
      onValueChange={(next) => {
        const query = new URLSearchParams(params);
        if (next === "all") query.delete("status");
        else query.set("status", next);
        setParams(query, { replace: true });
      }}
    >
      <TabsList className="max-w-full overflow-x-auto">
        <TabsTrigger value="all" data-testid={`${testIdPrefix}-all`}>
          {t("common.all")}
        </TabsTrigger>
        {statuses.map((status) => (
          <TabsTrigger key={status} value={status} data-testid={`${testIdPrefix}-${status}`}>
            {label(status)}
          </TabsTrigger>
        ))}
      </TabsList>
    </Tabs>
  );
}
