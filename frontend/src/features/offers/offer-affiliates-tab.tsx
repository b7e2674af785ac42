import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { CheckIcon, SlidersHorizontalIcon, UsersIcon, XIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Offer, OfferAccess, OfferAccessUpdate } from "@/api/types";
import { DataTable, type Column } from "@/components/data-table";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Separator } from "@/components/ui/separator";
import { Spinner } from "@/components/ui/spinner";
import { PersonCell, UserText } from "@/components/user-text";
import { useWorkspaceAdvertiser } from "@/features/advertisers/use-advertisers";
import { CapsEditor } from "@/features/offers/caps-editor";
import { OfferAccessBadge } from "@/features/offers/offer-badges";
import { amountIssue, capLimitIssues, capRow, normalizeDecimal, toCap } from "@/features/offers/offer-schema";
import { formatAmount } from "@/features/offers/payout";
import { offerKeys, useOfferAccess } from "@/features/offers/use-offers";
import { showBidiControls } from "@/lib/bidi";
import { useErrorMessage } from "@/lib/use-error-message";

function useUpdateAccess(offerId: string, affiliateId: string) {
  const { query } = useWorkspaceAdvertiser();
  return useMutation({
    mutationFn: (body: OfferAccessUpdate) =>
      unwrap(api.PUT("/api/offers/{offer_id}/access/{affiliate_id}", { params: { path: { offer_id: offerId, affiliate_id: affiliateId }, query }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: offerKeys.access(offerId) }),
  });
}

/** The offer's affiliates: who may run it, and at what payout and caps each. */
export function OfferAffiliatesTab({ offer }: { offer: Offer }) {
  const { t, i18n } = useTranslation();
  const workspace = useWorkspaceAdvertiser();
  const access = useOfferAccess(offer.id, workspace.query);
  const [editing, setEditing] = useState<OfferAccess | null>(null);

  const columns: Column<OfferAccess>[] = [
    {
      id: "affiliate",
      header: t("offers.affiliates.columns.affiliate"),
      cell: (row) => <PersonCell name={row.affiliate_name} email={row.affiliate_email} />,
    },
    {
      id: "access",
      header: t("offers.affiliates.columns.access"),
      cell: (row) => <OfferAccessBadge access={row.access} testId={`offer-access-state-${row.affiliate_id}`} />,
    },
    {
      id: "payouts",
      header: t("offers.affiliates.columns.payout"),
      cell: (row) => {
        const overridden = offer.goals.filter((goal) => row.payouts[goal.key] !== undefined);
        if (overridden.length === 0) return <span className="text-muted-foreground">{t("offers.affiliates.defaultPayout")}</span>;
        return (
          <ul className="space-y-0.5 text-sm">
            {overridden.map((goal) => (
              <li key={goal.key} className="whitespace-nowrap">
                <span className="text-muted-foreground">
                  <UserText value={goal.name} />:
                </span>{" "}
                <span className="font-medium tabular-nums">{formatAmount(goal.payout_type, row.payouts[goal.key] ?? "", offer.currency, i18n.language)}</span>
              </li>
            ))}
          </ul>
        );
      },
    },
    {
      id: "caps",
      header: t("offers.affiliates.columns.caps"),
      cell: (row) => (row.caps.length === 0 ? <span className="text-muted-foreground">—</span> : t("offers.affiliates.capCount", { count: row.caps.length })),
      className: "whitespace-nowrap",
    },
    {
      id: "actions",
      header: <span className="sr-only">{t("common.actions")}</span>,
      className: "text-right",
      cell: (row) => (workspace.manages ? <AccessActions offerId={offer.id} row={row} onEdit={() => setEditing(row)} /> : null),
    },
  ];

  return (
    <Card>
      <DataTable
        columns={columns}
        rows={access.data?.items}
        rowKey={(row) => row.affiliate_id}
        rowTestId={(row) => `offer-access-row-${row.affiliate_id}`}
        isLoading={access.isPending}
        error={access.error}
        onRetry={() => void access.refetch()}
        empty={{ icon: UsersIcon, title: t("offers.affiliates.emptyTitle"), description: t("offers.affiliates.emptyText") }}
      />
      {editing ? <AccessTermsDialog offer={offer} row={editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function AccessActions({ offerId, row, onEdit }: { offerId: string; row: OfferAccess; onEdit: () => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const update = useUpdateAccess(offerId, row.affiliate_id);
  const decide = (access: "approved" | "rejected") =>
    update.mutate(
      { access },
      {
        onSuccess: (updated) => toast.success(t(`offers.affiliates.toast.${access}`, { name: updated.affiliate_name })),
        onError: (error) => toast.error(errorMessage(error)),
      },
    );
  const id = row.affiliate_id;
  return (
    <div className="flex justify-end gap-2">
      {row.access === "approved" ? null : (
        <Button size="sm" disabled={update.isPending} onClick={() => decide("approved")} data-testid={`offer-access-approve-${id}`}>
          <CheckIcon /> {t("offers.affiliates.approve")}
        </Button>
      )}
      {row.access === "rejected" ? null : (
        <Button size="sm" variant="outline" disabled={update.isPending} onClick={() => decide("rejected")} data-testid={`offer-access-reject-${id}`}>
          <XIcon /> {t(row.access === "approved" ? "offers.affiliates.revoke" : "offers.affiliates.reject")}
        </Button>
      )}
      <Button size="sm" variant="ghost" onClick={onEdit} data-testid={`offer-access-edit-${id}`}>
        <SlidersHorizontalIcon /> {t("offers.affiliates.terms")}
      </Button>
    </div>
  );
}

/** Payout overrides by goal (blank keeps the offer's payout) and the affiliate's own caps. */
function termsSchema(offer: Offer) {
  return z.object({ payouts: z.array(z.string()), caps: z.array(capRow).max(12, "offers.validation.tooManyRows") }).superRefine((values, ctx) => {
    offer.goals.forEach((goal, index) => {
      const value = values.payouts[index] ?? "";
      const message = value.trim() === "" ? null : amountIssue(goal.payout_type, value, offer.currency);
      if (message) ctx.addIssue({ code: "custom", message, path: ["payouts", index] });
    });
    for (const [index, message] of capLimitIssues(values.caps, offer.currency)) ctx.addIssue({ code: "custom", message, path: ["caps", index, "limit"] });
  });
}
type TermsValues = z.infer<ReturnType<typeof termsSchema>>;

function AccessTermsDialog({ offer, row, onClose }: { offer: Offer; row: OfferAccess; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const schema = useMemo(() => termsSchema(offer), [offer]);
  const form = useForm<TermsValues>({
    resolver: zodResolver(schema),
    defaultValues: { payouts: offer.goals.map((goal) => row.payouts[goal.key] ?? ""), caps: row.caps.map((cap) => ({ ...cap })) },
  });
  const update = useUpdateAccess(offer.id, row.affiliate_id);
  const { errors } = form.formState;

  const submit = form.handleSubmit((values) => {
    const payouts: Record<string, string> = {};
    offer.goals.forEach((goal, index) => {
      const value = values.payouts[index]?.trim() ?? "";
      if (value) payouts[goal.key] = normalizeDecimal(value);
    });
    update.mutate(
      { payouts, caps: values.caps.map(toCap) },
      {
        onSuccess: () => {
          toast.success(t("offers.affiliates.termsSaved", { name: row.affiliate_name }));
          onClose();
        },
      },
    );
  });

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl" data-testid="offer-access-dialog">
        <DialogHeader>
          <DialogTitle>{t("offers.affiliates.termsTitle", { name: row.affiliate_name })}</DialogTitle>
          <DialogDescription>{t("offers.affiliates.termsText")}</DialogDescription>
        </DialogHeader>
        <form noValidate className="space-y-5" onSubmit={submit}>
          {update.error ? <FormError testId="offer-access-error">{errorMessage(update.error)}</FormError> : null}
          <div className="space-y-3">
            <h4 className="text-sm font-semibold">{t("offers.affiliates.payoutOverrides")}</h4>
            <div className="grid gap-3 sm:grid-cols-2">
              {offer.goals.map((goal, index) => (
                <Field
                  key={goal.key}
                  id={`access-payout-${goal.key}`}
                  label={`${showBidiControls(goal.name)} (${t(`offers.amountType.${goal.payout_type}`)})`}
                  error={errors.payouts?.[index]?.message}
                  hint={t("offers.affiliates.defaultIs", { amount: formatAmount(goal.payout_type, goal.payout, offer.currency, i18n.language) })}
                >
                  <Input
                    id={`access-payout-${goal.key}`}
                    inputMode="decimal"
                    placeholder={goal.payout}
                    aria-invalid={!!errors.payouts?.[index]}
                    data-testid={`offer-access-payout-${goal.key}`}
                    {...form.register(`payouts.${index}`)}
                  />
                </Field>
              ))}
            </div>
          </div>
          <Separator />
          <div className="space-y-3">
            <h4 className="text-sm font-semibold">{t("offers.affiliates.caps")}</h4>
            <CapsEditor control={form.control} register={form.register} errors={errors} idPrefix="access-cap" />
          </div>
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={update.isPending} data-testid="offer-access-save">
              {update.isPending ? <Spinner /> : null}
              {t("common.save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
