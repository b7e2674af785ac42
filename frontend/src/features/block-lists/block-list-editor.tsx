import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { BlockList, BlockListKind, SubKey } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { KINDS, SUB_KEYS, entriesText, refusedEntries, withKindReplaced } from "@/features/block-lists/block-list-entries";
import { type BlockListScope, useAddEntries, useBlockList, useReplaceBlockList } from "@/features/block-lists/use-block-lists";
import { useErrorMessage } from "@/lib/use-error-message";

/** One block list, a tab per kind of entry: what it holds (editable whole) and a box to paste more into. */
export function BlockListEditor({ scope, manages }: { scope: BlockListScope; manages: boolean }) {
  const { t } = useTranslation();
  const list = useBlockList(scope);
  const [kind, setKind] = useState<BlockListKind>("ips");
  if (list.isPending) return <Skeleton className="h-96 w-full rounded-xl" data-testid="block-list-loading" />;
  if (list.isError) {
    return (
      <Card>
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      </Card>
    );
  }
  return (
    <Tabs value={kind} onValueChange={(value) => setKind(value as BlockListKind)} className="space-y-4" data-testid="block-list">
      <TabsList className="h-auto flex-wrap">
        {KINDS.map((each) => (
          <TabsTrigger key={each} value={each} data-testid={`block-kind-${each}`}>
            {t(`blocks.kinds.${each}`)}
            <Badge variant="neutral" data-testid={`block-count-${each}`}>
              {list.data.counts[each]}
            </Badge>
          </TabsTrigger>
        ))}
      </TabsList>
      {KINDS.map((each) => (
        <TabsContent key={each} value={each}>
          <KindPanel list={list.data} kind={each} scope={scope} manages={manages} />
        </TabsContent>
      ))}
    </Tabs>
  );
}

function KindPanel({ list, kind, scope, manages }: { list: BlockList; kind: BlockListKind; scope: BlockListScope; manages: boolean }) {
  const { t } = useTranslation();
  const [subKey, setSubKey] = useState<SubKey>("sub1");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t(`blocks.kinds.${kind}`)}</CardTitle>
        <CardDescription>{t(`blocks.hints.${kind}`)}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        {kind === "subs" ? (
          <div className="flex items-center gap-3">
            <Label htmlFor="block-sub-key">{t("blocks.subKey")}</Label>
            <Select value={subKey} onValueChange={(value) => setSubKey(value as SubKey)}>
              <SelectTrigger id="block-sub-key" className="w-32" data-testid="block-sub-key">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {SUB_KEYS.map((key) => (
                  <SelectItem key={key} value={key}>
                    {key}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        ) : null}
        {/* Keyed by what it shows: another sub key, or the list as saved, starts the box afresh. */}
        <ListedEntries key={`${subKey}:${list.updated_at ?? ""}`} list={list} kind={kind} subKey={subKey} scope={scope} manages={manages} />
        {manages ? <PasteBox kind={kind} subKey={subKey} scope={scope} /> : null}
      </CardContent>
    </Card>
  );
}

/** The kind's entries, one a line; saving puts what the box holds in their place. */
function ListedEntries({
  list,
  kind,
  subKey,
  scope,
  manages,
}: {
  list: BlockList;
  kind: BlockListKind;
  subKey: SubKey;
  scope: BlockListScope;
  manages: boolean;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const saved = entriesText(list, kind, subKey);
  const [text, setText] = useState(saved);
  const replace = useReplaceBlockList(scope);
  const refused = refusedEntries(replace.error);
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={`block-entries-${kind}`}>{t("blocks.listed")}</Label>
        <span className="text-xs text-muted-foreground" data-testid="block-limit">
          {t("blocks.countOfLimit", { n: list.counts[kind], limit: list.limits[kind] })}
        </span>
      </div>
      <Textarea
        id={`block-entries-${kind}`}
        className="h-56 font-mono text-xs"
        value={text}
        readOnly={!manages}
        placeholder={t("blocks.emptyKind")}
        onChange={(event) => setText(event.target.value)}
        data-testid="block-entries"
      />
      {replace.error ? (
        <FormError testId="block-save-error">
          <p>{errorMessage(replace.error)}</p>
          <RefusedList refused={refused} byLine={false} />
        </FormError>
      ) : null}
      {manages ? (
        <Button
          size="sm"
          disabled={text === saved || replace.isPending}
          onClick={() => replace.mutate(withKindReplaced(list, kind, subKey, text), { onSuccess: () => toast.success(t("blocks.saved")) })}
          data-testid="block-save"
        >
          {t("blocks.save")}
        </Button>
      ) : null}
    </div>
  );
}

/** Pasted entries, one a line, added to the kind; a refused line is named by its number and nothing is added. */
function PasteBox({ kind, subKey, scope }: { kind: BlockListKind; subKey: SubKey; scope: BlockListScope }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [text, setText] = useState("");
  const add = useAddEntries(scope);
  const refused = refusedEntries(add.error);
  const submit = () =>
    add.mutate(
      { kind, text, ...(kind === "subs" ? { sub_key: subKey } : {}) },
      {
        onSuccess: (added) => {
          setText("");
          toast.success(t("blocks.added", { count: added.added, listed: added.already_listed }));
        },
      },
    );
  return (
    <div className="space-y-2 border-t pt-4">
      <Label htmlFor={`block-paste-${kind}`}>{t("blocks.paste")}</Label>
      <Textarea
        id={`block-paste-${kind}`}
        className="h-28 font-mono text-xs"
        value={text}
        placeholder={t(`blocks.examples.${kind}`)}
        onChange={(event) => setText(event.target.value)}
        data-testid="block-paste"
      />
      {add.error ? (
        <FormError testId="block-paste-error">
          <p>{errorMessage(add.error)}</p>
          <RefusedList refused={refused} byLine />
        </FormError>
      ) : null}
      <Button size="sm" variant="outline" disabled={text.trim() === "" || add.isPending} onClick={submit} data-testid="block-add">
        {t("blocks.add")}
      </Button>
    </div>
  );
}

function RefusedList({ refused, byLine }: { refused: ReturnType<typeof refusedEntries>; byLine: boolean }) {
  const { t } = useTranslation();
  if (refused.length === 0) return null;
  return (
    <ul className="space-y-1 font-mono text-xs" data-testid="block-refused">
      {refused.map((item) => (
        <li key={`${item.position}:${item.entry}`}>
          {byLine ? t("blocks.line", { line: item.position }) : t("blocks.entry", { index: item.position + 1 })}: {item.entry} — {item.message}
        </li>
      ))}
    </ul>
  );
}
