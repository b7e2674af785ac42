import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import { ErrorState } from "@/components/error-state";
import { FormError } from "@/components/form-error";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { isCidr } from "@/features/settings/cidr";
import { useErrorMessage } from "@/lib/use-error-message";

const ipsKey = ["settings", "postback-ips"] as const;
const ipsSchema = z.array(z.string().refine(isCidr));

export function SettingsPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const current = useQuery({ queryKey: ipsKey, queryFn: () => unwrap(api.GET("/api/settings/postback-ips")) });
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState<string[]>([]);

  useEffect(() => {
    if (current.data) setText(current.data.ips.join("\n"));
  }, [current.data]);

  const save = useMutation({
    mutationFn: (ips: string[]) => unwrap(api.PUT("/api/settings/postback-ips", { body: { ips } })),
    onSuccess: (result) => {
      queryClient.setQueryData(ipsKey, result);
      toast.success(t("settings.saved"));
    },
  });

  const submit = () => {
    const ips = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const parsed = ipsSchema.safeParse(ips);
    const bad = parsed.success ? [] : ips.filter((ip) => !isCidr(ip));
    setInvalid(bad);
    if (bad.length === 0) save.mutate(ips);
  };

  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      <Card>
        <CardHeader>
          <CardTitle>{t("settings.ipsTitle")}</CardTitle>
          <CardDescription>{t("settings.ipsText")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          {current.isPending ? (
            <Skeleton className="h-40 w-full" />
          ) : current.isError ? (
            <ErrorState error={current.error} onRetry={() => void current.refetch()} />
          ) : (
            <>
              <Textarea
                value={text}
                onChange={(event) => setText(event.target.value)}
                rows={8}
                spellCheck={false}
                placeholder={"203.0.113.0/24\n2001:db8::/32"}
                className="font-mono text-xs"
                aria-invalid={invalid.length > 0}
                aria-label={t("settings.ipsTitle")}
                data-testid="postback-ips"
              />
              {invalid.length > 0 ? (
                <FormError testId="postback-ips-invalid">
                  <p>{t("settings.invalid", { count: invalid.length })}</p>
                  <ul className="font-mono text-xs">
                    {invalid.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </FormError>
              ) : null}
              {save.error ? <FormError>{errorMessage(save.error)}</FormError> : null}
              <p className="text-xs text-muted-foreground">{t("settings.hint")}</p>
            </>
          )}
        </CardContent>
        <CardFooter className="justify-end">
          <Button onClick={submit} disabled={save.isPending || !current.isSuccess} data-testid="postback-ips-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </CardFooter>
      </Card>
    </>
  );
}
