import { useTranslation } from "react-i18next";
import type { FraudAction, FraudFlag, FraudReason, FraudRule } from "@/api/types";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { FRAUD_ACTIONS, FRAUD_FLAGS, FRAUD_REASONS, isTimed, TIME_UNITS, type RuleDraft, type RulesDraft } from "@/features/fraud/fraud-rules";

// A select item's value cannot be empty: an offer's "follow the advertiser" is this.
const INHERIT = "inherit";

type RulesEditorProps = {
  draft: RulesDraft;
  onChange: (draft: RulesDraft) => void;
  /** i18n keys by flag. */
  problems: Partial<Record<FraudFlag, string>>;
  /** An offer's overrides: what each flag follows when the offer has no rule of its own. */
  inherited?: Partial<Record<string, FraudRule>>;
  disabled: boolean;
  testId: string;
};

/** One row per flag: what happens to a conversion whose click carries it, and, for a rejection, the reason; the time rules' limit. */
export function RulesEditor({ draft, onChange, problems, inherited, disabled, testId }: RulesEditorProps) {
  const { t } = useTranslation();
  const set = (flag: FraudFlag, change: Partial<RuleDraft>) => onChange({ ...draft, [flag]: { ...draft[flag], ...change } });
  return (
    <div className="divide-y rounded-md border" data-testid={testId}>
      {FRAUD_FLAGS.map((flag) => {
        const row = draft[flag];
        const id = `${testId}-${flag}`;
        const acts = row.action === "held" || row.action === "rejected";
        return (
          <div key={flag} className="grid gap-3 p-3 sm:grid-cols-[minmax(0,1fr)_11rem_11rem_9rem] sm:items-start" data-testid={id}>
            <div className="space-y-0.5">
              <div className="text-sm font-medium">{t(`fraud.flags.${flag}`)}</div>
              <div className="text-xs text-muted-foreground">{t(`fraud.flagHints.${flag}`)}</div>
              {inherited && row.action === "" ? (
                <div className="text-xs text-muted-foreground" data-testid={`${id}-inherited`}>
                  {t("fraud.inherits", { rule: describe(t, flag, inherited[flag]) })}
                </div>
              ) : null}
            </div>
            <Select
              value={row.action === "" ? INHERIT : row.action}
              onValueChange={(next) => set(flag, { action: next === INHERIT ? "" : (next as FraudAction) })}
              disabled={disabled}
            >
              <SelectTrigger aria-label={t("fraud.action")} data-testid={`${id}-action`}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {inherited ? <SelectItem value={INHERIT}>{t("fraud.actions.inherit")}</SelectItem> : null}
                {FRAUD_ACTIONS.map((action) => (
                  <SelectItem key={action} value={action} data-testid={`${id}-action-${action}`}>
                    {t(`fraud.actions.${action}`)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {row.action === "rejected" ? (
              <Select value={row.reason} onValueChange={(next) => set(flag, { reason: next as FraudReason })} disabled={disabled}>
                <SelectTrigger aria-label={t("conversions.reason")} data-testid={`${id}-reason`}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {FRAUD_REASONS.map((reason) => (
                    <SelectItem key={reason} value={reason}>
                      {t(`conversions.reasons.${reason}`)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            ) : (
              <span className="hidden sm:block" />
            )}
            {isTimed(flag) && acts ? (
              <div className="space-y-1">
                <div className="flex items-center gap-2">
                  <Input
                    id={`${id}-limit`}
                    inputMode="numeric"
                    value={row.limit}
                    onChange={(event) => set(flag, { limit: event.target.value })}
                    aria-label={t(`fraud.limit.${flag}`)}
                    aria-invalid={!!problems[flag]}
                    disabled={disabled}
                    data-testid={`${id}-limit`}
                  />
                  <span className="text-xs text-muted-foreground">{t(`fraud.units.${flag}`)}</span>
                </div>
                {problems[flag] ? (
                  <p role="alert" className="text-xs text-destructive">
                    {t(problems[flag], { max: TIME_UNITS[flag].max })}
                  </p>
                ) : null}
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

/** A rule in a few words ("Reject: Fraud", "Hold: under 30 seconds"), for what an offer follows. */
function describe(t: ReturnType<typeof useTranslation>["t"], flag: FraudFlag, rule: FraudRule | undefined): string {
  if (!rule || rule.action === "accepted") return t("fraud.actions.accepted");
  const action = t(`fraud.actions.${rule.action}`);
  if (rule.action === "rejected") return `${action}: ${t(`conversions.reasons.${rule.reason ?? "fraud"}`)}`;
  if (isTimed(flag) && rule.seconds != null) return `${action}: ${t(`fraud.limitShort.${flag}`, { count: rule.seconds / TIME_UNITS[flag].seconds })}`;
  return action;
}
