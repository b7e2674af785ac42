import { CheckIcon, ClipboardListIcon, XIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { MoneyRequest } from "@/api/types";
import { Confirm } from "@/components/confirm-button";
import { DataTable, type Column } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { RequestStatusBadge, TitledHeader } from "@/features/finance/finance-parts";
import { SubmitTopupDialog } from "@/features/finance/topup-dialog";
import { useDecideTopup, useTopupRequests, type Books, type TopupDecision } from "@/features/finance/use-finance";
import { formatDateTime } from "@/lib/format";
import { formatDecimalMoney } from "@/lib/money";
import { useErrorMessage } from "@/lib/use-error-message";

type TopupRequestsProps = {
  books: Books;
  /** Owner and platform admin, with an advertiser picked: they confirm or reject open ones. */
  decides: boolean;
  /** The advertiser itself may submit one. */
  submits: boolean;
  currency: string;
};

/** Top-ups the advertiser submitted, with their status; the platform confirms (posts) or rejects the open ones. */
export function TopupRequestsCard({ books, decides, submits, currency }: TopupRequestsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const requests = useTopupRequests(books);
  const advertiserId = decides ? books.advertiserId : undefined;
  const columns: Column<MoneyRequest>[] = [
    { id: "created", header: t("finance.columns.date"), cell: (request) => formatDateTime(request.created_at, language), className: "whitespace-nowrap" },
    {
      id: "amount",
      header: t("finance.columns.amount"),
      cell: (request) => formatDecimalMoney(request.amount, request.currency, language),
      className: "text-right tabular-nums whitespace-nowrap",
    },
    { id: "reference", header: t("finance.topupRequest.reference"), cell: (request) => <UserText value={request.reference} />, className: "max-w-64 truncate" },
    { id: "status", header: t("finance.payoutRequests.columns.status"), cell: (request) => <RequestStatusBadge request={request} /> },
    ...(advertiserId
      ? [
          {
            id: "decide",
            header: <span className="sr-only">{t("common.actions")}</span>,
            cell: (request: MoneyRequest) => (request.status === "open" ? <DecideButtons advertiserId={advertiserId} request={request} /> : null),
            className: "text-right",
          },
        ]
      : []),
  ];
  return (
    <Card>
      <TitledHeader title={t("finance.topupRequests.title")} description={t("finance.topupRequests.text")}>
        {submits ? <SubmitTopupDialog books={books} currency={currency} /> : null}
      </TitledHeader>
      <div data-testid="topup-requests">
        <DataTable
          columns={columns}
          rows={requests.data?.items}
          rowKey={(request) => request.id}
          rowTestId={() => "topup-request-row"}
          rowAttributes={(request) => ({ "data-id": request.id, "data-status": request.status, "data-currency": request.currency })}
          isLoading={requests.isPending}
          error={requests.error}
          onRetry={() => void requests.refetch()}
          empty={{
            icon: ClipboardListIcon,
            title: t("finance.topupRequests.emptyTitle"),
            description: t(submits ? "finance.topupRequests.emptyText" : "finance.topupRequests.staffEmptyText"),
          }}
        />
      </div>
    </Card>
  );
}

function DecideButtons({ advertiserId, request }: { advertiserId: string; request: MoneyRequest }) {
  return (
    <div className="flex justify-end gap-2">
      <DecideTopup advertiserId={advertiserId} request={request} decision="confirm" />
      <DecideTopup advertiserId={advertiserId} request={request} decision="reject" />
    </div>
  );
}

const DECISION_TEXTS = {
  confirm: {
    button: "finance.topupRequests.confirm",
    title: "finance.topupRequests.confirmTitle",
    text: "finance.topupRequests.confirmText",
    done: "finance.topupRequests.confirmed",
  },
  reject: {
    button: "finance.topupRequests.reject",
    title: "finance.topupRequests.rejectTitle",
    text: "finance.topupRequests.rejectText",
    done: "finance.topupRequests.rejected",
  },
} as const;

/** Confirm or reject behind an "are you sure?" step that repeats the amount and the reference. */
function DecideTopup({ advertiserId, request, decision }: { advertiserId: string; request: MoneyRequest; decision: TopupDecision }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const decide = useDecideTopup(advertiserId);
  const texts = DECISION_TEXTS[decision];
  const amount = formatDecimalMoney(request.amount, request.currency, i18n.language);
  const run = () =>
    decide.mutate(
      { requestId: request.id, decision },
      { onSuccess: () => toast.success(t(texts.done, { amount })), onError: (error) => toast.error(errorMessage(error)) },
    );
  return (
    <Confirm
      trigger={
        <Button
          size="sm"
          variant={decision === "confirm" ? "outline" : "ghost"}
          disabled={decide.isPending}
          data-testid={`topup-${decision}`}
          data-id={request.id}
        >
          {decide.isPending ? <Spinner /> : decision === "confirm" ? <CheckIcon /> : <XIcon />}
          {t(texts.button)}
        </Button>
      }
      title={t(texts.title)}
      description={t(texts.text, { amount, reference: request.reference })}
      confirmLabel={t(texts.button)}
      onConfirm={run}
      testId={`topup-${decision}-submit`}
      destructive={decision === "reject"}
    />
  );
}
