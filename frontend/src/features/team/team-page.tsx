import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { UserPlusIcon, UsersRoundIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { User } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { PersonCell } from "@/components/user-text";
import { emailField } from "@/features/auth/schemas";
import { UserStatusBadge } from "@/features/users/user-status-badge";
import { formatDate } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const teamKey = ["team"] as const;

export function TeamPage() {
  const { t, i18n } = useTranslation();
  const team = useQuery({ queryKey: teamKey, queryFn: () => unwrap(api.GET("/api/team")) });
  const columns: Column<User>[] = [
    {
      id: "member",
      header: t("team.columns.member"),
      cell: (row) => <PersonCell name={row.name} email={row.email} />,
    },
    { id: "status", header: t("team.columns.status"), cell: (row) => <UserStatusBadge status={row.status} /> },
    {
      id: "mfa",
      header: t("team.columns.mfa"),
      cell: (row) => (row.mfa_enabled ? t("common.on") : t("common.off")),
      className: "whitespace-nowrap text-muted-foreground",
    },
    {
      id: "created",
      header: t("team.columns.added"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
  ];
  return (
    <>
      <PageHeader title={t("team.title")} description={t("team.description")} actions={<InviteTeamMemberDialog />} />
      <Card>
        <DataTable
          columns={columns}
          rows={team.data?.items}
          rowKey={(row) => row.id}
          isLoading={team.isPending}
          error={team.error}
          onRetry={() => void team.refetch()}
          empty={{ icon: UsersRoundIcon, title: t("team.emptyTitle"), description: t("team.emptyText") }}
        />
      </Card>
    </>
  );
}

const inviteSchema = z.object({ email: emailField, name: z.string().trim().max(200, "validation.tooLong") });
type InviteValues = z.infer<typeof inviteSchema>;

function InviteTeamMemberDialog() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const form = useForm<InviteValues>({ resolver: zodResolver(inviteSchema), defaultValues: { email: "", name: "" } });
  const invite = useMutation({
    mutationFn: ({ email, name }: InviteValues) => unwrap(api.POST("/api/team/invite", { body: name ? { email, name } : { email } })),
    onSuccess: (result) => {
      toast.success(t("team.invited", { email: result.user.email }));
      void queryClient.invalidateQueries({ queryKey: teamKey });
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
        if (!next) invite.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button data-testid="team-invite">
          <UserPlusIcon /> {t("team.invite")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("team.inviteTitle")}</DialogTitle>
          <DialogDescription>{t("team.inviteText")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => invite.mutate(values))}>
          {invite.error ? <FormError>{errorMessage(invite.error)}</FormError> : null}
          <Field id="team-email" label={t("fields.email")} error={errors.email?.message}>
            <Input id="team-email" type="email" autoFocus aria-invalid={!!errors.email} data-testid="team-invite-email" {...form.register("email")} />
          </Field>
          <Field id="team-name" label={t("fields.nameOptional")} error={errors.name?.message}>
            <Input id="team-name" data-testid="team-invite-name" {...form.register("name")} />
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={invite.isPending} data-testid="team-invite-submit">
              {invite.isPending ? <Spinner /> : null}
              {t("team.sendInvite")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
