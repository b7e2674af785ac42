import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { AlertTriangleIcon, KeyRoundIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { ApiKey } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { DataTable, type Column } from "@/components/data-table";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { requiredText } from "@/features/auth/schemas";
import { useBrand } from "@/features/branding/brand-provider";
import { formatDate, formatDateTime } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const keysKey = ["api-keys"] as const;

export function ApiKeysPage() {
  const { t, i18n } = useTranslation();
  const { brand } = useBrand();
  const errorMessage = useErrorMessage();
  const [createOpen, setCreateOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const keys = useQuery({ queryKey: keysKey, queryFn: () => unwrap(api.GET("/api/api-keys")) });
  const revoke = useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE("/api/api-keys/{key_id}", { params: { path: { key_id: keyId } } })),
    onSuccess: () => {
      toast.success(t("apiKeys.revoked"));
      void queryClient.invalidateQueries({ queryKey: keysKey });
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  const columns: Column<ApiKey>[] = [
    { id: "label", header: t("apiKeys.columns.label"), cell: (row) => <UserText value={row.label} className="font-medium" /> },
    { id: "prefix", header: t("apiKeys.columns.key"), cell: (row) => <code className="font-mono text-xs text-muted-foreground">{row.prefix}…</code> },
    {
      id: "status",
      header: t("apiKeys.columns.status"),
      cell: (row) => <Badge variant={row.revoked ? "neutral" : "success"}>{t(row.revoked ? "apiKeys.revokedBadge" : "apiKeys.activeBadge")}</Badge>,
    },
    {
      id: "created",
      header: t("apiKeys.columns.created"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "used",
      header: t("apiKeys.columns.lastUsed"),
      cell: (row) => (row.last_used_at ? formatDateTime(row.last_used_at, i18n.language) : t("apiKeys.never")),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) =>
        row.revoked ? null : (
          <Confirm
            trigger={
              <Button size="sm" variant="ghost" className="text-destructive hover:text-destructive" data-testid={`apikey-revoke-${row.id}`}>
                {t("apiKeys.revoke")}
              </Button>
            }
            title={t("apiKeys.revokeTitle")}
            description={t("apiKeys.revokeText", { label: row.label })}
            confirmLabel={t("apiKeys.revoke")}
            onConfirm={() => revoke.mutate(row.id)}
            testId={`apikey-revoke-confirm-${row.id}`}
          />
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("apiKeys.title")}
        description={t("apiKeys.description", { brand: brand.name })}
        actions={
          <Button onClick={() => setCreateOpen(true)} data-testid="apikey-create">
            <PlusIcon /> {t("apiKeys.create")}
          </Button>
        }
      />
      <Card>
        <DataTable
          columns={columns}
          rows={keys.data?.items}
          rowKey={(row) => row.id}
          isLoading={keys.isPending}
          error={keys.error}
          onRetry={() => void keys.refetch()}
          empty={{ icon: KeyRoundIcon, title: t("apiKeys.emptyTitle"), description: t("apiKeys.emptyText") }}
        />
      </Card>
      <CreateKeyDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        onCreated={(created) => {
          setCreateOpen(false);
          setSecret(created);
        }}
      />
      <Dialog
        open={secret !== null}
        onOpenChange={(open) => {
          if (!open) setSecret(null);
        }}
      >
        <DialogContent onInteractOutside={(event) => event.preventDefault()}>
          <DialogHeader>
            <DialogTitle>{t("apiKeys.secretTitle")}</DialogTitle>
            <DialogDescription>{t("apiKeys.secretText")}</DialogDescription>
          </DialogHeader>
          <div className="flex items-center gap-2 rounded-lg border bg-muted/40 p-3">
            <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="apikey-secret">
              {secret}
            </code>
            <CopyButton value={secret ?? ""} size="icon-sm" testId="apikey-secret-copy" />
          </div>
          <p className="flex items-center gap-2 text-xs text-warning">
            <AlertTriangleIcon className="size-4" /> {t("apiKeys.secretWarning")}
          </p>
          <DialogFooter>
            <Button onClick={() => setSecret(null)} data-testid="apikey-secret-done">
              {t("common.done")}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

const createSchema = z.object({ label: requiredText });

function CreateKeyDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const form = useForm<{ label: string }>({ resolver: zodResolver(createSchema), defaultValues: { label: "" } });
  const create = useMutation({
    mutationFn: (label: string) => unwrap(api.POST("/api/api-keys", { body: { label } })),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: keysKey });
      form.reset();
      onCreated(result.secret);
    },
  });
  const { errors } = form.formState;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) create.reset();
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("apiKeys.createTitle")}</DialogTitle>
          <DialogDescription>{t("apiKeys.createText")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit(({ label }) => create.mutate(label))}>
          {create.error ? <FormError>{errorMessage(create.error)}</FormError> : null}
          <Field id="key-label" label={t("apiKeys.columns.label")} error={errors.label?.message}>
            <Input
              id="key-label"
              autoFocus
              placeholder={t("apiKeys.labelPlaceholder")}
              aria-invalid={!!errors.label}
              data-testid="apikey-label"
              {...form.register("label")}
            />
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending} data-testid="apikey-create-submit">
              {create.isPending ? <Spinner /> : null}
              {t("apiKeys.create")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
