import { CircleCheckIcon, CircleDashedIcon, CircleXIcon, RefreshCwIcon, Trash2Icon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { DnsRecord, Domain } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { CopyButton } from "@/components/copy-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { UserText } from "@/components/user-text";
import { domainStatusLabel, domainStatusVariant } from "@/features/domains/domain-status";
import { useCheckDomain, useRemoveDomain } from "@/features/domains/use-domains";
import { formatDateTime } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

type DomainCardProps = { domain: Domain; advertiserId: string | undefined; manages: boolean };

/** One domain: its name (as people read it, and as DNS does), where it stands and why, and the DNS records it needs. */
export function DomainCard({ domain, advertiserId, manages }: DomainCardProps) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const check = useCheckDomain(advertiserId);
  const remove = useRemoveDomain(advertiserId);
  const removing = domain.status === "removing";
  const shownName = domain.display_name || domain.name;

  return (
    <Card data-testid="domain" data-domain={domain.name} data-status={domain.status}>
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <UserText value={shownName} className="text-base font-semibold break-all" testId="domain-name-shown" />
            <Badge variant="outline">{t(`domains.kinds.${domain.kind}`)}</Badge>
            <Badge variant={domainStatusVariant(domain.status)} data-testid="domain-status">
              {domainStatusLabel(t, domain.status)}
            </Badge>
          </div>
          {domain.display_name && domain.display_name !== domain.name ? (
            <p className="font-mono text-xs text-muted-foreground break-all" data-testid="domain-ascii">
              {t("domains.asciiName", { name: domain.name })}
            </p>
          ) : null}
          {domain.status_reason ? (
            <p
              className={domain.status === "broken" || domain.status === "failed" ? "text-sm text-destructive" : "text-sm text-muted-foreground"}
              data-testid="domain-reason"
            >
              <UserText value={domain.status_reason} />
            </p>
          ) : null}
          <p className="text-xs text-muted-foreground">
            {domain.checked_at ? t("domains.checkedAt", { time: formatDateTime(domain.checked_at, i18n.language) }) : t("domains.neverChecked")}
            {domain.active_since ? ` · ${t("domains.activeSince", { time: formatDateTime(domain.active_since, i18n.language) })}` : null}
          </p>
        </div>
        {manages && !removing ? (
          <div className="flex shrink-0 gap-2">
            <Button
              size="sm"
              variant="outline"
              disabled={check.isPending}
              data-testid="domain-check"
              onClick={() =>
                check.mutate(domain.id, {
                  onSuccess: (checked) => toast.success(t("domains.checked", { status: domainStatusLabel(t, checked.status) })),
                  onError: (error) => toast.error(errorMessage(error)),
                })
              }
            >
              {check.isPending ? <Spinner /> : <RefreshCwIcon />}
              {t("domains.check")}
            </Button>
            <Confirm
              trigger={
                <Button size="sm" variant="outline" disabled={remove.isPending} data-testid="domain-remove-open">
                  <Trash2Icon /> {t("domains.remove")}
                </Button>
              }
              title={t("domains.removeTitle", { name: shownName })}
              description={t("domains.removeText")}
              confirmLabel={t("domains.remove")}
              testId="domain-remove"
              onConfirm={() =>
                remove.mutate(domain.id, {
                  onSuccess: () => toast.success(t("domains.removed")),
                  onError: (error) => toast.error(errorMessage(error)),
                })
              }
            />
          </div>
        ) : null}
      </CardHeader>
      {removing ? null : (
        <CardContent>
          <DnsRecords records={domain.dns_records} />
        </CardContent>
      )}
    </Card>
  );
}

/** The records to create at the DNS provider, each copied with one click, and whether the last check found it. */
function DnsRecords({ records }: { records: DnsRecord[] }) {
  const { t } = useTranslation();
  return (
    <div className="overflow-x-auto rounded-lg border">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("domains.records.type")}</TableHead>
            <TableHead>{t("domains.records.name")}</TableHead>
            <TableHead>{t("domains.records.value")}</TableHead>
            <TableHead>{t("domains.records.state")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {records.map((record) => (
            <TableRow key={`${record.type} ${record.name}`} data-testid="dns-record" data-type={record.type}>
              <TableCell className="font-mono text-xs font-medium">{record.type}</TableCell>
              <TableCell>
                <CopyableValue value={record.name} label={t("domains.records.copyName")} testId={`dns-${record.type.toLowerCase()}-name`} />
              </TableCell>
              <TableCell>
                <CopyableValue value={record.value} label={t("domains.records.copyValue")} testId={`dns-${record.type.toLowerCase()}-value`} />
              </TableCell>
              <TableCell>
                <RecordFound found={record.found} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function CopyableValue({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all" data-testid={testId}>
        {value}
      </code>
      <CopyButton value={value} label={label} size="icon-sm" variant="ghost" testId={`${testId}-copy`} />
    </div>
  );
}

function RecordFound({ found }: { found: boolean | null }) {
  const { t } = useTranslation();
  if (found === null) {
    return (
      <span className="inline-flex items-center gap-1.5 text-xs whitespace-nowrap text-muted-foreground">
        <CircleDashedIcon className="size-3.5" /> {t("domains.records.unchecked")}
      </span>
    );
  }
  return found ? (
    <span className="inline-flex items-center gap-1.5 text-xs whitespace-nowrap text-success" data-found="true">
      <CircleCheckIcon className="size-3.5" /> {t("domains.records.found")}
    </span>
  ) : (
    <span className="inline-flex items-center gap-1.5 text-xs whitespace-nowrap text-destructive" data-found="false">
      <CircleXIcon className="size-3.5" /> {t("domains.records.missing")}
    </span>
  );
}
