import { PlusIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { FinanceSettings } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { settingsIssues, settingsRows, toSettingsBody, type SettingsRow, type SettingsRowIssues } from "@/features/finance/finance-forms";
import { useFinanceSettings, useSaveFinanceSettings, type Books } from "@/features/finance/use-finance";
import { useErrorMessage } from "@/lib/use-error-message";

type SettingsCardProps = { books: Books; currencies: readonly string[]; editable: boolean };

/** The low-balance threshold and the minimum payout, one line per currency. */
export function FinanceSettingsCard({ books, currencies, editable }: SettingsCardProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const current = useFinanceSettings(books);
  const save = useSaveFinanceSettings(books);
  const [rows, setRows] = useState<SettingsRow[]>([]);
  const [issues, setIssues] = useState<Record<number, SettingsRowIssues>>({});
  const currencyKey = currencies.join(",");

  // The lines start over from the stored settings whenever new ones arrive or the currencies change.
  const [shown, setShown] = useState<{ data: FinanceSettings; currencyKey: string } | undefined>(undefined);
  if (current.data && (current.data !== shown?.data || currencyKey !== shown.currencyKey)) {
    setShown({ data: current.data, currencyKey });
    setRows(settingsRows(current.data, currencies));
  }

  const change = (index: number, field: keyof SettingsRow, value: string) =>
    setRows((all) => all.map((row, at) => (at === index ? { ...row, [field]: value } : row)));
  const submit = () => {
    const found = settingsIssues(rows);
    setIssues(found);
    if (Object.keys(found).length === 0) save.mutate(toSettingsBody(rows), { onSuccess: () => toast.success(t("finance.settings.saved")) });
  };

  return (
    <Card data-testid="finance-settings">
      <CardHeader>
        <CardTitle>{t("finance.settings.title")}</CardTitle>
        <CardDescription>{t("finance.settings.text")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {current.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : current.isError ? (
          <ErrorState error={current.error} onRetry={() => void current.refetch()} />
        ) : (
          <>
            {save.error ? <FormError testId="finance-settings-error">{errorMessage(save.error)}</FormError> : null}
            {rows.length === 0 ? <p className="text-sm text-muted-foreground">{t("finance.settings.empty")}</p> : null}
            {rows.length > 0 ? (
              <Table>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead className="w-28">{t("finance.currency")}</TableHead>
                    <TableHead>{t("finance.settings.lowBalance")}</TableHead>
                    <TableHead>{t("finance.settings.minPayout")}</TableHead>
                    {editable ? <TableHead className="w-10" /> : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((row, index) => (
                    <SettingsLine
                      key={index}
                      row={row}
                      issues={issues[index] ?? {}}
                      editable={editable}
                      onChange={(field, value) => change(index, field, value)}
                      onRemove={() => setRows((all) => all.filter((_, at) => at !== index))}
                    />
                  ))}
                </TableBody>
              </Table>
            ) : null}
          </>
        )}
      </CardContent>
      {editable && current.data ? (
        <CardFooter className="justify-between gap-2 border-t pt-4">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setRows((all) => [...all, { currency: "", lowBalance: "", minPayout: "" }])}
            data-testid="finance-settings-add"
          >
            <PlusIcon /> {t("finance.settings.addCurrency")}
          </Button>
          <Button size="sm" onClick={submit} disabled={save.isPending} data-testid="finance-settings-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </CardFooter>
      ) : null}
    </Card>
  );
}

type LineProps = {
  row: SettingsRow;
  issues: SettingsRowIssues;
  editable: boolean;
  onChange: (field: keyof SettingsRow, value: string) => void;
  onRemove: () => void;
};

function SettingsLine({ row, issues, editable, onChange, onRemove }: LineProps) {
  const { t } = useTranslation();
  const cell = (field: keyof SettingsRow, label: string, props: { className?: string; maxLength?: number; inputMode?: "decimal" }) => (
    <TableCell className="align-top">
      <Input
        value={row[field]}
        onChange={(event) => onChange(field, event.target.value)}
        disabled={!editable}
        aria-label={label}
        aria-invalid={!!issues[field]}
        autoComplete="off"
        placeholder={field === "currency" ? "USD" : t("finance.settings.notSet")}
        data-testid={`finance-settings-${field}`}
        {...props}
      />
      {issues[field] ? (
        <p role="alert" className="mt-1 text-xs text-destructive">
          {t(issues[field])}
        </p>
      ) : null}
    </TableCell>
  );
  return (
    <TableRow className="hover:bg-transparent" data-testid="finance-settings-row" data-currency={row.currency}>
      {cell("currency", t("finance.currency"), { className: "uppercase", maxLength: 3 })}
      {cell("lowBalance", t("finance.settings.lowBalance"), { inputMode: "decimal" })}
      {cell("minPayout", t("finance.settings.minPayout"), { inputMode: "decimal" })}
      {editable ? (
        <TableCell className="align-top">
          <Button variant="ghost" size="icon-sm" onClick={onRemove} aria-label={t("finance.settings.remove")} data-testid="finance-settings-remove">
            <Trash2Icon />
          </Button>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
