import { MousePointerClickIcon, SearchIcon, SearchXIcon, SendIcon } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "@/api/api-error";
import type { ClickDetail, ClickQuality, Delivery } from "@/api/types";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Facts } from "@/components/facts";
import { PageHeader } from "@/components/page-header";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { UserText } from "@/components/user-text";
import { useCan } from "@/features/auth/use-can";
import { qualitySignals, refusalLabel, signalDetail, signalTitle } from "@/features/clicks/click-quality";
import { useClick } from "@/features/clicks/use-click";
import { ConversionStatusBadge, ScreeningNote } from "@/features/conversions/conversion-badges";
import { formatConversionMoney, goalLabel } from "@/features/conversions/conversion-format";
import { OperationDetailDialog } from "@/features/operations/operation-detail-dialog";
import { attemptsOf, eventLabel, lastHttpStatus } from "@/features/operations/operation-labels";
import { OperationStatusBadge } from "@/features/operations/operation-status-badge";
import { deliverySource, REPLAY_DELIVERIES } from "@/features/operations/use-operations";
import { formatDateTime } from "@/lib/format";

/** Look a click up by its id, and see everything known about it: request, decision, quality, conversions. */
export function ClickPage() {
  const { t } = useTranslation();
  const { clickId = "" } = useParams();
  return (
    <>
      <PageHeader title={t("clicks.title")} description={t("clicks.description")} />
      <ClickSearch key={clickId} initial={clickId} />
      {clickId ? <ClickDetails clickId={clickId} /> : null}
    </>
  );
}

/** A click looked up by its id: opens the click's page. */
export function ClickSearch({ initial }: { initial: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = value.trim();
    if (id) navigate(`/clicks/${encodeURIComponent(id)}`);
  };
  return (
    <form onSubmit={submit} className="flex max-w-xl gap-2" role="search">
      <Input
        aria-label={t("clicks.searchLabel")}
        placeholder={t("clicks.searchPlaceholder")}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        className="font-mono"
        maxLength={64}
        data-testid="click-search-input"
      />
      <Button type="submit" disabled={!value.trim()}>
        <SearchIcon /> {t("clicks.search")}
      </Button>
    </form>
  );
}

function ClickDetails({ clickId }: { clickId: string }) {
  const { t } = useTranslation();
  const click = useClick(clickId);
  if (click.isPending) return <Skeleton className="h-64 w-full" />;
  if (click.error) {
    if (click.error instanceof ApiError && (click.error.status === 404 || click.error.status === 400)) {
      return (
        <Card>
          <EmptyState icon={SearchXIcon} title={t("clicks.notFoundTitle")} description={t("clicks.notFoundText")} />
        </Card>
      );
    }
    return (
      <Card>
        <ErrorState error={click.error} onRetry={() => void click.refetch()} />
      </Card>
    );
  }
  const data = click.data;
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="click-details">
      <DecisionCard click={data} />
      <QualityCard quality={data.quality} />
      <VisitorCard click={data} />
      <ConversionsCard click={data} />
      <DeliveriesCard deliveries={data.deliveries} />
    </div>
  );
}

/** A visitor's own text (user agent, sub-ids) or an id, as sent: isolated, its bidi controls shown. */
const mono = (value: string) => <UserText value={value} className="font-mono text-xs break-all" />;

function DecisionCard({ click }: { click: ClickDetail }) {
  const { t, i18n } = useTranslation();
  const outcome = click.reason ? (
    <Badge variant="destructive" data-testid="click-outcome">
      {t("clicks.refused", { reason: refusalLabel(t, click.reason) })}
    </Badge>
  ) : (
    <Badge variant="success" data-testid="click-outcome">
      {t("clicks.landed")}
    </Badge>
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("clicks.decisionTitle")}</CardTitle>
        <CardDescription>{mono(click.click_id)}</CardDescription>
      </CardHeader>
      <CardContent>
        <Facts
          rows={[
            [t("clicks.fields.time"), formatDateTime(click.created_at, i18n.language)],
            [t("clicks.fields.outcome"), outcome],
            ...(click.blocked_by ? [[t("blocks.blockedBy"), <BlockedBy entry={click.blocked_by} />] as [string, ReactNode]] : []),
            [t("clicks.fields.offer"), <UserText value={click.offer_name} />],
            [t("clicks.fields.affiliate"), <UserText value={click.affiliate_name} />],
          ]}
        />
      </CardContent>
    </Card>
  );
}

/** The block list entry that refused a click (`cidr:203.0.113.0/24`): its kind in words, the entry as listed. */
function BlockedBy({ entry }: { entry: string }) {
  const { t } = useTranslation();
  const [kind = "", ...rest] = entry.split(":");
  const listed = rest.join(":");
  const kindText = t(`blocks.matched.${kind}`, { defaultValue: t("blocks.matched.sub", { key: kind }) });
  return (
    <span data-testid="click-blocked-by">
      {kindText}: {mono(listed)}
    </span>
  );
}

const QUALITY_VARIANTS: Record<ClickQuality["status"], BadgeVariant> = { pending: "neutral", clean: "success", flagged: "warning" };

function QualityCard({ quality }: { quality: ClickQuality }) {
  const { t } = useTranslation();
  const signals = qualitySignals(quality);
  const unique = quality.unique === null ? t("clicks.unique.unknown") : quality.unique ? t("clicks.unique.yes") : t("clicks.unique.no");
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {t("clicks.qualityTitle")}
          <Badge variant={QUALITY_VARIANTS[quality.status]} data-testid="click-quality-status">
            {t(`clicks.quality.${quality.status}`)}
          </Badge>
        </CardTitle>
        <CardDescription>{t("clicks.qualityHint")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <Facts rows={[[t("clicks.fields.unique"), unique]]} />
        {signals.length > 0 ? (
          <ul className="space-y-2 text-sm" data-testid="click-quality-signals">
            {signals.map((signal) => {
              const detail = signalDetail(t, signal);
              return (
                <li key={signal.key} className="rounded-md border border-warning/30 bg-warning/5 px-3 py-2" data-signal={signal.key}>
                  <span className="font-medium">{signalTitle(t, signal)}</span>
                  <span className="block text-muted-foreground">{t(`clicks.signals.${signal.key}.text`)}</span>
                  {detail ? <span className="block text-muted-foreground">{detail}</span> : null}
                  {signal.key === "repeat" && signal.firstClickId ? (
                    <Link
                      to={`/clicks/${encodeURIComponent(signal.firstClickId)}`}
                      className="text-primary underline-offset-4 hover:underline"
                      data-testid="click-first-click"
                    >
                      {t("fraudReport.click.firstClick")}
                    </Link>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : quality.status === "clean" ? (
          <p className="text-sm text-muted-foreground">{t("clicks.noSignals")}</p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function VisitorCard({ click }: { click: ClickDetail }) {
  const { t } = useTranslation();
  const subs = Object.entries(click.subs).sort(([a], [b]) => Number(a.slice(3)) - Number(b.slice(3)));
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("clicks.visitorTitle")}</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts
          rows={[
            [t("clicks.fields.ip"), mono(click.ip || "—")],
            [t("clicks.fields.country"), mono(click.country)],
            [t("clicks.fields.device"), t(`clicks.devices.${click.device}`, { defaultValue: click.device })],
            [t("clicks.fields.os"), <UserText value={click.os} />],
            [t("clicks.fields.browser"), <UserText value={click.browser} />],
            [t("clicks.fields.userAgent"), mono(click.user_agent)],
            ...subs.map(([name, value]): [string, ReactNode] => [name, mono(value)]),
          ]}
        />
      </CardContent>
    </Card>
  );
}

function ConversionsCard({ click }: { click: ClickDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("clicks.conversionsTitle")}</CardTitle>
      </CardHeader>
      <CardContent>
        {click.conversions.length === 0 ? (
          <EmptyState icon={MousePointerClickIcon} title={t("clicks.noConversions")} className="py-6" />
        ) : (
          <ul className="divide-y text-sm" data-testid="click-conversions">
            {click.conversions.map((conversion) => (
              <li key={conversion.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div className="space-y-0.5">
                  <div className="font-medium">{goalLabel(t, conversion.goal)}</div>
                  <div className="text-xs text-muted-foreground">{formatDateTime(conversion.created_at, i18n.language)}</div>
                  <ScreeningNote conversion={conversion} />
                </div>
                <div className="flex items-center gap-3">
                  <span className="tabular-nums">{formatConversionMoney(conversion.payout, conversion.currency, i18n.language)}</span>
                  <ConversionStatusBadge status={conversion.status} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

/** The deliveries to the affiliate's tracker about this click and its conversions; one opens its attempts. */
function DeliveriesCard({ deliveries }: { deliveries: Delivery[] }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [selected, setSelected] = useState<Delivery | null>(null);
  return (
    <Card className="lg:col-span-2">
      <CardHeader>
        <CardTitle>{t("clicks.deliveriesTitle")}</CardTitle>
        <CardDescription>{t("clicks.deliveriesHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        {deliveries.length === 0 ? (
          <EmptyState icon={SendIcon} title={t("clicks.noDeliveries")} className="py-6" />
        ) : (
          <ul className="divide-y text-sm" data-testid="click-deliveries">
            {deliveries.map((delivery) => (
              <li key={delivery.delivery_id}>
                <button
                  type="button"
                  className="flex w-full flex-wrap items-center gap-x-4 gap-y-1 py-2 text-left hover:bg-muted/40 focus-visible:ring-2 focus-visible:ring-ring/40 focus-visible:outline-none"
                  onClick={() => setSelected(delivery)}
                  data-testid="click-delivery"
                  data-status={delivery.status}
                  data-event={delivery.event}
                >
                  <OperationStatusBadge status={delivery.status} />
                  <span className="font-medium">{eventLabel(t, delivery.event)}</span>
                  <span className="text-muted-foreground tabular-nums">{t("clicks.deliveryAttempts", { attempts: attemptsOf(delivery) })}</span>
                  <span className="font-mono text-xs text-muted-foreground">{t("clicks.deliveryHttp", { status: lastHttpStatus(delivery) ?? "—" })}</span>
                  <span className="ml-auto text-xs text-muted-foreground">{formatDateTime(delivery.updated_at, i18n.language)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <OperationDetailDialog source={deliverySource} operation={selected} onClose={() => setSelected(null)} canReplay={() => can(REPLAY_DELIVERIES)} />
    </Card>
  );
}
