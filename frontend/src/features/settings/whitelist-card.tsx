import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { useWhitelist, type Whitelist } from "@/features/settings/use-whitelist";
import { parseWhitelist } from "@/features/settings/whitelist-lines";
import { useErrorMessage } from "@/lib/use-error-message";

type WhitelistCardProps = {
  whitelist: Whitelist;
  isValid: (entry: string) => boolean;
  title: string;
  text: string;
  hint: string;
  placeholder: string;
  /** The message above the invalid lines, for their count. */
  invalidText: (count: number) => string;
  savedText: string;
  /** The editor's test id; the invalid list and the save button add "-invalid" and "-save". */
  testId: string;
};

/** A whitelist edited as text, one entry per line; an empty list lets everything through. */
export function WhitelistCard({ whitelist, isValid, title, text, hint, placeholder, invalidText, savedText, testId }: WhitelistCardProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const { current, save } = useWhitelist(whitelist);
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState<string[]>([]);
  // The text starts over from the stored list whenever a new one arrives (loaded, or saved).
  const [shown, setShown] = useState<string[] | undefined>(undefined);
  if (current.data && current.data !== shown) {
    setShown(current.data);
    setValue(current.data.join("\n"));
  }

  const submit = () => {
    const parsed = parseWhitelist(value, isValid);
    setInvalid(parsed.invalid);
    if (parsed.invalid.length === 0) save.mutate(parsed.entries, { onSuccess: () => toast.success(savedText) });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{text}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {current.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : current.isError ? (
          <ErrorState error={current.error} onRetry={() => void current.refetch()} />
        ) : (
          <>
            <Textarea
              value={value}
              onChange={(event) => setValue(event.target.value)}
              rows={8}
              spellCheck={false}
              placeholder={placeholder}
              className="font-mono text-xs"
              aria-invalid={invalid.length > 0}
              aria-label={title}
              data-testid={testId}
            />
            {invalid.length > 0 ? (
              <FormError testId={`${testId}-invalid`}>
                <p>{invalidText(invalid.length)}</p>
                <ul className="font-mono text-xs">
                  {invalid.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </FormError>
            ) : null}
            {save.error ? <FormError>{errorMessage(save.error)}</FormError> : null}
            <p className="text-xs text-muted-foreground">{hint}</p>
          </>
        )}
      </CardContent>
      <CardFooter className="justify-end">
        <Button onClick={submit} disabled={save.isPending || !current.isSuccess} data-testid={`${testId}-save`}>
          {save.isPending ? <Spinner /> : null}
          {t("common.save")}
        </Button>
      </CardFooter>
    </Card>
  );
}
