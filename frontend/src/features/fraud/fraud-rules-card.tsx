import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { FraudRules } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Section } from "@/components/section-card";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { draftOf, rulesProblems, toRulesInput } from "@/features/fraud/fraud-rules";
import { RulesEditor } from "@/features/fraud/rules-editor";
import { useFraudRules, useSaveFraudRules } from "@/features/fraud/use-fraud-rules";
import { useErrorMessage } from "@/lib/use-error-message";

/** The advertiser's fraud rules, for every offer that does not override them. */
export function FraudRulesCard({ advertiserId, manages }: { advertiserId: string | undefined; manages: boolean }) {
  const rules = useFraudRules(advertiserId);
  if (rules.isPending) return <Skeleton className="h-96 w-full rounded-xl" />;
  if (rules.isError) {
    return (
      <Card>
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      </Card>
    );
  }
  // Keyed by when the rules were saved: another advertiser's, or a save, starts the form afresh.
  return <RulesForm key={`${advertiserId ?? ""}|${rules.data.updated_at ?? ""}`} rules={rules.data} advertiserId={advertiserId} manages={manages} />;
}

function RulesForm({ rules, advertiserId, manages }: { rules: FraudRules; advertiserId: string | undefined; manages: boolean }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState(() => draftOf(rules.rules, "accepted"));
  const [checked, setChecked] = useState(false);
  const save = useSaveFraudRules(advertiserId);
  const problems = checked ? rulesProblems(draft) : {};
  const submit = () => {
    setChecked(true);
    if (Object.keys(rulesProblems(draft)).length > 0) return;
    save.mutate(toRulesInput(draft), { onSuccess: () => toast.success(t("fraud.saved")) });
  };
  return (
    <Section title={t("fraud.rulesTitle")} description={t("fraud.rulesText")}>
      {save.error ? <FormError>{errorMessage(save.error)}</FormError> : null}
      <RulesEditor draft={draft} onChange={setDraft} problems={problems} disabled={!manages || save.isPending} testId="fraud-rules" />
      {manages ? (
        <div className="flex justify-end">
          <Button onClick={submit} disabled={save.isPending} data-testid="fraud-rules-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </div>
      ) : null}
    </Section>
  );
}
