import { useQuery } from "@tanstack/react-query";
import { FileClockIcon } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import type { AuditEntry } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { DateRangeFilter } from "@/components/date-range-filter";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { UserText } from "@/components/user-text";
import { AdvertiserPicker } from "@/features/advertisers/advertiser-picker";
import { useCan } from "@/features/auth/use-can";
import { showBidiControls } from "@/lib/bidi";
import { dateRangeFromParams } from "@/lib/date-range";
import { formatDateTime } from "@/lib/format";

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const platform = can("audit:read:platform");
  const [params, setParams] = useSearchParams();
  const { from, to } = dateRangeFromParams(params, 7);
  const advertiserId = platform ? (params.get("advertiser_id") ?? undefined) : undefined;
  const [selected, setSelected] = useState<AuditEntry | null>(null);

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const query = { from, to, ...(advertiserId ? { advertiser_id: advertiserId } : {}) };
  const audit = useQuery({ queryKey: ["audit", query], queryFn: () => unwrap(api.GET("/api/audit", { params: { query } })) });

  const columns: Column<AuditEntry>[] = [
    { id: "at", header: t("audit.columns.at"), cell: (row) => <span className="whitespace-nowrap">{formatDateTime(row.at, i18n.language)}</span> },
    { id: "actor", header: t("audit.columns.actor"), cell: (row) => <UserText value={row.actor_email} /> },
    { id: "action", header: t("audit.columns.action"), cell: (row) => <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.action}</code> },
    { id: "target", header: t("audit.columns.target"), cell: (row) => <UserText value={row.target} className="font-mono text-xs text-muted-foreground" /> },
    { id: "ip", header: t("audit.columns.ip"), cell: (row) => <span className="font-mono text-xs text-muted-foreground">{row.ip}</span> },
    {
      id: "details",
      header: <span className="sr-only">{t("audit.details")}</span>,
      className: "text-right",
      cell: (row) => (
        <Button size="sm" variant="ghost" onClick={() => setSelected(row)}>
          {t("audit.details")}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")} />
      <div className="flex flex-wrap items-end gap-3">
        <DateRangeFilter from={from} to={to} onChange={setParam} idPrefix="audit" />
        {platform ? (
          <div className="grid gap-1.5">
            <Label>{t("advertisers.advertiser")}</Label>
            <AdvertiserPicker value={advertiserId} onChange={(value) => setParam("advertiser_id", value)} allowAll testId="audit-advertiser" />
          </div>
        ) : null}
      </div>
      <Card>
        <DataTable
          columns={columns}
          rows={audit.data?.items}
          rowKey={(row) => row.id}
          isLoading={audit.isPending}
          error={audit.error}
          onRetry={() => void audit.refetch()}
          empty={{ icon: FileClockIcon, title: t("audit.emptyTitle"), description: t("audit.emptyText") }}
        />
      </Card>
      <Dialog
        open={selected !== null}
        onOpenChange={(open) => {
          if (!open) setSelected(null);
        }}
      >
        <DialogContent className="max-w-2xl">
          <DialogHeader>
            <DialogTitle className="font-mono text-base">{selected?.action}</DialogTitle>
            <DialogDescription>
              {selected
                ? showBidiControls(
                    `${formatDateTime(selected.at, i18n.language)} · ${selected.actor_email ?? "—"} · ${t("audit.requestId")}: ${selected.request_id}`,
                  )
                : null}
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-3 sm:grid-cols-2">
            {(["before", "after"] as const).map((side) => (
              <div key={side} className="min-w-0 space-y-1.5">
                <p className="text-xs font-medium text-muted-foreground">{t(`audit.${side}`)}</p>
                <pre className="max-h-72 overflow-auto rounded-lg border bg-muted/40 p-3 font-mono text-xs">
                  {selected ? <UserText value={JSON.stringify(selected[side] ?? null, null, 2)} /> : null}
                </pre>
              </div>
            ))}
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
