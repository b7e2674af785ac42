import { useMutation, useQuery } from "@tanstack/react-query";
import { BanIcon, MoreHorizontalIcon, RotateCcwIcon, SearchIcon, ShieldIcon, UsersIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { toast } from "sonner";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Role, StaffUser, User, UserStatus } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuSub,
  DropdownMenuSubContent,
  DropdownMenuSubTrigger,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { PersonCell } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { useRequiredSession } from "@/features/auth/use-session";
import { SuspensionDialog } from "@/features/suspension/suspension-dialog";
import { HelpDialog, HelpMenuItems, helpFor, type HelpKind } from "@/features/users/help-actions";
import { InviteUserDialog } from "@/features/users/invite-user-dialog";
import { UserStatusBadge } from "@/features/users/user-status-badge";
import { formatDate } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

export const ROLES: Role[] = ["owner", "platform_admin", "advertiser", "affiliate", "support"];
const STATUSES: UserStatus[] = ["active", "invited", "blocked"];
const ANY = "__any__";

/** Staff (owners, platform admins, support) are made and changed only with "users:manage:staff" (the owner's). */
const STAFF_ROLES: readonly Role[] = ["owner", "platform_admin", "support"];

/** The roles a user may hand out, and the users whose role it may change. */
export function assignableRoles(managesStaff: boolean): Role[] {
  return managesStaff ? ROLES : ROLES.filter((role) => !STAFF_ROLES.includes(role));
}

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { user: me } = useRequiredSession();
  const can = useCan();
  const readOnly = !can("users:manage");
  const roles = assignableRoles(can("users:manage:staff"));
  // Support manages no one but helps people: its menu holds the help alone.
  const rights = { helps: can("support:help"), views: can("view_as"), helpsStaff: can("users:manage:staff") };
  const acts = !readOnly || rights.helps || rights.views;
  const [params, setParams] = useSearchParams();
  const role = pick(params.get("role"), ROLES);
  const status = pick(params.get("status"), STATUSES);
  const q = params.get("q") ?? "";
  const [search, setSearch] = useState(q);

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // The search box writes to the URL after a pause, so typing does not fire a request per key.
  useEffect(() => {
    if (search === q) return;
    const timer = window.setTimeout(() => setParam("q", search.trim() || undefined), 300);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const query = { ...(role ? { role } : {}), ...(status ? { status } : {}), ...(q ? { q } : {}) };
  const users = useQuery({ queryKey: ["users", query], queryFn: () => unwrap(api.GET("/api/users", { params: { query } })) });

  const columns: Column<StaffUser>[] = [
    {
      id: "user",
      header: t("users.columns.user"),
      cell: (row) => <PersonCell name={row.name} email={row.email} />,
    },
    { id: "role", header: t("users.columns.role"), cell: (row) => <Badge variant="outline">{t(`roles.${row.role}`)}</Badge> },
    {
      id: "status",
      header: t("users.columns.status"),
      cell: (row) => (
        <div className="flex flex-wrap items-center gap-1">
          <UserStatusBadge status={row.status} />
          {row.affiliate_suspension ? (
            <Badge variant="destructive" title={row.affiliate_suspension.reason} data-testid={`user-suspended-${row.id}`}>
              {t("suspension.badge")}
            </Badge>
          ) : null}
        </div>
      ),
    },
    {
      id: "mfa",
      header: t("users.columns.mfa"),
      cell: (row) =>
        row.mfa_enabled ? <ShieldIcon className="size-4 text-success" aria-label={t("common.on")} /> : <span className="text-muted-foreground">—</span>,
    },
    {
      id: "created",
      header: t("users.columns.created"),
      cell: (row) => formatDate(row.created_at, i18n.language),
      className: "whitespace-nowrap text-muted-foreground",
    },
  ];
  if (can("accounts:suspend")) {
    columns.push({
      id: "suspension",
      header: <span className="sr-only">{t("suspension.title")}</span>,
      className: "text-right",
      cell: (row) => (row.affiliate_id ? <AffiliateSuspension user={row} affiliateId={row.affiliate_id} /> : null),
    });
  }
  if (acts) {
    columns.push({
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) => (row.id === me.id ? null : <UserActions user={row} roles={readOnly ? [] : roles} rights={rights} />),
    });
  }

  return (
    <>
      <PageHeader
        title={t("users.title")}
        description={t(readOnly ? "users.descriptionReadOnly" : "users.description")}
        actions={readOnly ? null : <InviteUserDialog roles={roles} />}
      />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <div className="relative sm:max-w-xs sm:flex-1">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t("users.search")}
            aria-label={t("users.search")}
            className="pl-9"
            data-testid="users-search"
          />
        </div>
        <Select value={role ?? ANY} onValueChange={(value) => setParam("role", value === ANY ? undefined : value)}>
          <SelectTrigger className="sm:w-44" data-testid="users-filter-role" aria-label={t("users.columns.role")}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>{t("users.anyRole")}</SelectItem>
            {ROLES.map((value) => (
              <SelectItem key={value} value={value}>
                {t(`roles.${value}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={status ?? ANY} onValueChange={(value) => setParam("status", value === ANY ? undefined : value)}>
          <SelectTrigger className="sm:w-40" data-testid="users-filter-status" aria-label={t("users.columns.status")}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>{t("users.anyStatus")}</SelectItem>
            {STATUSES.map((value) => (
              <SelectItem key={value} value={value}>
                {t(`users.status.${value}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <Card>
        <DataTable
          columns={columns}
          rows={users.data?.items}
          rowKey={(row) => row.id}
          rowTestId={(row) => `user-row-${row.id}`}
          isLoading={users.isPending}
          error={users.error}
          onRetry={() => void users.refetch()}
          empty={{ icon: UsersIcon, title: t("users.emptyTitle"), description: t("users.emptyText") }}
        />
      </Card>
    </>
  );
}

type HelpRights = Parameters<typeof helpFor>[1];

function UserActions({ user, roles, rights }: { user: User; roles: Role[]; rights: HelpRights }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [helping, setHelping] = useState<HelpKind | null>(null);
  const update = useMutation({
    mutationFn: (body: { role?: Role; status?: "active" | "blocked" }) =>
      unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: user.id } }, body })),
    onSuccess: () => {
      toast.success(t("users.updated"));
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const canManage = roles.includes(user.role);
  const help = helpFor(user, rights);
  const helps = help.view || help.kinds.length > 0;
  if (!canManage && !helps) return null;
  return (
    <>
      {/* Not modal: a help's dialog opens as the menu closes, and a modal menu would leave the page inert behind it. */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={t("common.actions")} data-testid={`user-actions-${user.id}`} disabled={update.isPending}>
            <MoreHorizontalIcon />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {helps ? <HelpMenuItems user={user} view={help.view} kinds={help.kinds} onPick={setHelping} /> : null}
          {helps && canManage ? <DropdownMenuSeparator /> : null}
          {canManage ? (
            <>
              <DropdownMenuSub>
                <DropdownMenuSubTrigger>
                  <ShieldIcon /> {t("users.changeRole")}
                </DropdownMenuSubTrigger>
                <DropdownMenuSubContent>
                  <DropdownMenuRadioGroup value={user.role} onValueChange={(value) => update.mutate({ role: value as Role })}>
                    {roles.map((role) => (
                      <DropdownMenuRadioItem key={role} value={role}>
                        {t(`roles.${role}`)}
                      </DropdownMenuRadioItem>
                    ))}
                  </DropdownMenuRadioGroup>
                </DropdownMenuSubContent>
              </DropdownMenuSub>
              <DropdownMenuSeparator />
              {user.status === "blocked" ? (
                <DropdownMenuItem onSelect={() => update.mutate({ status: "active" })} data-testid={`user-unblock-${user.id}`}>
                  <RotateCcwIcon /> {t("users.unblock")}
                </DropdownMenuItem>
              ) : (
                <DropdownMenuItem destructive onSelect={() => update.mutate({ status: "blocked" })} data-testid={`user-block-${user.id}`}>
                  <BanIcon /> {t("users.block")}
                </DropdownMenuItem>
              )}
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
      {helping ? <HelpDialog user={user} kind={helping} onClose={() => setHelping(null)} /> : null}
    </>
  );
}

/** An affiliate's person: its affiliate account suspended or reactivated, everywhere or in one program. */
function AffiliateSuspension({ user, affiliateId }: { user: StaffUser; affiliateId: string }) {
  const { t } = useTranslation();
  const target = { kind: "affiliate", affiliateId } as const;
  return (
    <div className="flex justify-end gap-2">
      <SuspensionDialog
        target={target}
        suspend
        name={user.name}
        pickProgram
        trigger={
          <Button size="sm" variant="outline" data-testid={`affiliate-suspend-${affiliateId}`}>
            <BanIcon /> {t("suspension.actions.suspend")}
          </Button>
        }
      />
      <SuspensionDialog
        target={target}
        suspend={false}
        name={user.name}
        pickProgram
        trigger={
          <Button size="sm" variant="ghost" data-testid={`affiliate-reactivate-${affiliateId}`}>
            <RotateCcwIcon /> {t("suspension.actions.reactivate")}
          </Button>
        }
      />
    </div>
  );
}
