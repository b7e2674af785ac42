import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { toast } from "sonner";
import type { FraudRule, OfferFraudRules } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/section-card";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { draftOf, rulesProblems, toRulesInput } from "@/features/fraud/fraud-rules";
import { RulesEditor } from "@/features/fraud/rules-editor";
import { useOfferFraudRules, useSaveOfferFraudRules } from "@/features/fraud/use-fraud-rules";
import { useErrorMessage } from "@/lib/use-error-message";

/** An offer's own fraud rules: each flag follows the advertiser's rule unless the offer sets one. */
/** The offer's own rules; `advertiserId`: the advertiser platform staff picked, `manages`: may change them. */
export function OfferFraudCard({ offerId, advertiserId, manages }: { offerId: string; advertiserId?: string; manages: boolean }) {
  const { t } = useTranslation();
  const rules = useOfferFraudRules(offerId, advertiserId);
  if (rules.isPending) return <Skeleton className="h-72 w-full rounded-xl" />;
  if (rules.isError) {
    return (
      <Section title={t("fraud.offerTitle")}>
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      </Section>
    );
  }
  return <OfferRulesForm key={rules.data.updated_at ?? "none"} rules={rules.data} advertiserId={advertiserId} manages={manages} />;
}

/** What a flag without the offer's own rule follows: the advertiser's rule, or for too_fast the offer's own minimum time. */
function inheritedRules(rules: OfferFraudRules): Partial<Record<string, FraudRule>> {
  const inherited: Partial<Record<string, FraudRule>> = { ...rules.advertiser };
  if (!inherited.too_fast && rules.min_conversion_seconds > 0) {
    inherited.too_fast = { action: "held", reason: null, seconds: rules.min_conversion_seconds };
  }
  return inherited;
}

function OfferRulesForm({ rules, advertiserId, manages }: { rules: OfferFraudRules; advertiserId?: string; manages: boolean }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState(() => draftOf(rules.overrides, ""));
  const [checked, setChecked] = useState(false);
  const save = useSaveOfferFraudRules(rules.offer_id, advertiserId);
  const problems = checked ? rulesProblems(draft) : {};
  const overridden = Object.keys(rules.overrides).length > 0;
  const submit = () => {
    setChecked(true);
    if (Object.keys(rulesProblems(draft)).length > 0) return;
    save.mutate(toRulesInput(draft), { onSuccess: () => toast.success(t("fraud.offerSaved")) });
  };
  const clear = () => save.mutate(null, { onSuccess: () => toast.success(t("fraud.offerCleared")) });
  return (
    <Section
      title={t("fraud.offerTitle")}
      description={
        <>
          {t("fraud.offerText")}{" "}
          <Link to="/fraud-rules?tab=rules" className="underline underline-offset-2">
            {t("fraud.offerLink")}
          </Link>
        </>
      }
    >
      {save.error ? <FormError>{errorMessage(save.error)}</FormError> : null}
      <RulesEditor
        draft={draft}
        onChange={setDraft}
        problems={problems}
        inherited={inheritedRules(rules)}
        disabled={!manages || save.isPending}
        testId="offer-fraud"
      />
      {manages ? (
        <div className="flex justify-end gap-2">
          {overridden ? (
            <Button variant="outline" onClick={clear} disabled={save.isPending} data-testid="offer-fraud-clear">
              {t("fraud.offerClear")}
            </Button>
          ) : null}
          <Button onClick={submit} disabled={save.isPending} data-testid="offer-fraud-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </div>
      ) : null}
    </Section>
  );
}
