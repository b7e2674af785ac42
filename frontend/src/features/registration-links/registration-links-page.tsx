import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link2Icon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { RegistrationLink } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { DataTable, type Column } from "@/components/data-table";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { requiredText } from "@/features/auth/schemas";
import { formatDate } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const linksKey = ["registration-links"] as const;

export function RegistrationLinksPage() {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const links = useQuery({ queryKey: linksKey, queryFn: () => unwrap(api.GET("/api/registration-links")) });
  const deactivate = useMutation({
    mutationFn: (code: string) => unwrap(api.DELETE("/api/registration-links/{code}", { params: { path: { code } } })),
    onSuccess: () => {
      toast.success(t("links.deactivated"));
      void queryClient.invalidateQueries({ queryKey: linksKey });
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  const columns: Column<RegistrationLink>[] = [
    { id: "label", header: t("links.columns.label"), cell: (row) => <UserText value={row.label} className="font-medium" /> },
    {
      id: "url",
      header: t("links.columns.url"),
      cell: (row) => (
        <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs" data-testid={`reglink-url-${row.code}`}>
          {row.url}
        </code>
      ),
    },
    {
      id: "status",
      header: t("links.columns.status"),
      cell: (row) => <Badge variant={row.active ? "success" : "neutral"}>{t(row.active ? "links.active" : "links.inactive")}</Badge>,
    },
    {
      id: "created",
      header: t("links.columns.created"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) => (
        <div className="flex justify-end gap-2">
          <CopyButton value={row.url} testId={`reglink-copy-${row.code}`} label={t("links.copy")} />
          {row.active ? (
            <Confirm
              trigger={
                <Button size="sm" variant="ghost" className="text-destructive hover:text-destructive" data-testid={`reglink-deactivate-${row.code}`}>
                  {t("links.deactivate")}
                </Button>
              }
              title={t("links.deactivateTitle")}
              description={t("links.deactivateText", { label: row.label })}
              confirmLabel={t("links.deactivate")}
              onConfirm={() => deactivate.mutate(row.code)}
              testId={`reglink-deactivate-confirm-${row.code}`}
            />
          ) : null}
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t("links.title")} description={t("links.description")} actions={<CreateLinkDialog />} />
      <Card>
        <DataTable
          columns={columns}
          rows={links.data?.items}
          rowKey={(row) => row.code}
          rowTestId={(row) => `reglink-row-${row.code}`}
          isLoading={links.isPending}
          error={links.error}
          onRetry={() => void links.refetch()}
          empty={{ icon: Link2Icon, title: t("links.emptyTitle"), description: t("links.emptyText") }}
        />
      </Card>
    </>
  );
}

const createSchema = z.object({ label: requiredText });

function CreateLinkDialog() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const form = useForm<{ label: string }>({ resolver: zodResolver(createSchema), defaultValues: { label: "" } });
  const create = useMutation({
    mutationFn: (label: string) => unwrap(api.POST("/api/registration-links", { body: { label } })),
    onSuccess: () => {
      toast.success(t("links.created"));
      void queryClient.invalidateQueries({ queryKey: linksKey });
      setOpen(false);
      form.reset();
    },
  });
  const { errors } = form.formState;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button data-testid="reglink-create">
          <PlusIcon /> {t("links.create")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("links.createTitle")}</DialogTitle>
          <DialogDescription>{t("links.createText")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit(({ label }) => create.mutate(label))}>
          {create.error ? <FormError>{errorMessage(create.error)}</FormError> : null}
          <Field id="label" label={t("links.columns.label")} error={errors.label?.message}>
            <Input
              id="label"
              autoFocus
              placeholder={t("links.labelPlaceholder")}
              aria-invalid={!!errors.label}
              data-testid="reglink-label"
              {...form.register("label")}
            />
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending} data-testid="reglink-create-submit">
              {create.isPending ? <Spinner /> : null}
              {t("links.create")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
