import { SendIcon } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { PostbackEvent, PostbackTestResult } from "@/api/types";
import { Facts } from "@/components/facts";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { UserText } from "@/components/user-text";
import { OptionSelect } from "@/features/offers/option-select";
import { eventLabel } from "@/features/operations/operation-labels";
import { AttemptOutcomeBadge } from "@/features/operations/operation-status-badge";
import { prettyBody } from "@/features/operations/response-body";
import { POSTBACK_EVENTS } from "@/features/postbacks/postback-form";
import { usePostbackTest } from "@/features/postbacks/use-postback-settings";
import { useErrorMessage } from "@/lib/use-error-message";

/** Sends a sample event now, to the saved settings or to a URL tried before saving, and shows the exchange. */
export function PostbackTestCard() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const test = usePostbackTest();
  const [event, setEvent] = useState<PostbackEvent>("sale");
  const [url, setUrl] = useState("");

  const send = (submitted: FormEvent) => {
    submitted.preventDefault();
    test.mutate({ event, url: url.trim() || null });
  };

  return (
    <Card data-testid="postback-test">
      <CardHeader>
        <CardTitle>{t("postbacks.test.title")}</CardTitle>
        <CardDescription>{t("postbacks.test.text")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <form noValidate onSubmit={send} className="grid items-end gap-3 sm:grid-cols-[12rem_1fr_auto]">
          <Field id="postback-test-event" label={t("postbacks.test.event")}>
            <OptionSelect
              id="postback-test-event"
              value={event}
              onChange={setEvent}
              options={POSTBACK_EVENTS}
              label={(value) => eventLabel(t, value)}
              testId="postback-test-event"
            />
          </Field>
          <Field id="postback-test-url" label={t("postbacks.test.url")}>
            <Input
              id="postback-test-url"
              value={url}
              onChange={(changed) => setUrl(changed.target.value)}
              placeholder={t("postbacks.test.urlPlaceholder")}
              className="font-mono text-xs"
              spellCheck={false}
              maxLength={2048}
              data-testid="postback-test-url"
            />
          </Field>
          <Button type="submit" disabled={test.isPending} data-testid="postback-test-send">
            {test.isPending ? <Spinner /> : <SendIcon />}
            {t("postbacks.test.send")}
          </Button>
        </form>
        {test.error ? <FormError testId="postback-test-error">{errorMessage(test.error)}</FormError> : null}
        {test.data ? <TestExchange result={test.data} /> : null}
      </CardContent>
    </Card>
  );
}

function Body({ text }: { text: string }) {
  const { t } = useTranslation();
  const body = prettyBody(text);
  return body ? (
    <pre className="max-h-64 overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs whitespace-pre-wrap">
      <UserText value={body} />
    </pre>
  ) : (
    <p className="text-xs text-muted-foreground">{t("postbacks.test.noBody")}</p>
  );
}

/** Both sides of a test send: the request as it went out and what came back. */
export function TestExchange({ result }: { result: PostbackTestResult }) {
  const { t } = useTranslation();
  const { request, response } = result;
  const headers = Object.entries(request.headers);
  const facts: [string, ReactNode][] = [
    [t("postbacks.test.status"), <span className="font-mono text-xs">{response.http_status !== null ? `HTTP ${response.http_status}` : "—"}</span>],
    [t("postbacks.test.latency"), t("operations.latency", { ms: response.latency_ms })],
  ];
  if (response.error_class || response.error) {
    facts.push([t("postbacks.test.error"), <span className="text-destructive">{[response.error_class, response.error].filter(Boolean).join(": ")}</span>]);
  }
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section className="min-w-0 space-y-3 rounded-lg border p-4" data-testid="postback-test-request">
        <h4 className="text-sm font-medium">{t("postbacks.test.request")}</h4>
        <p className="font-mono text-xs break-all">
          <span className="font-semibold">{request.method}</span> <UserText value={request.url} />
        </p>
        {headers.length > 0 ? (
          <div className="space-y-1">
            <p className="text-xs text-muted-foreground">{t("postbacks.test.headers")}</p>
            <dl className="space-y-0.5 font-mono text-xs">
              {headers.map(([name, value]) => (
                <div key={name} className="break-all">
                  <dt className="inline text-muted-foreground">{name}: </dt>
                  <dd className="inline">{value}</dd>
                </div>
              ))}
            </dl>
          </div>
        ) : null}
        <div className="space-y-1">
          <p className="text-xs text-muted-foreground">{t("postbacks.test.body")}</p>
          <Body text={request.body} />
        </div>
      </section>
      <section className="min-w-0 space-y-3 rounded-lg border p-4" data-testid="postback-test-result" data-ok={response.ok}>
        <h4 className="flex flex-wrap items-center gap-2 text-sm font-medium">
          {t("postbacks.test.response")}
          <AttemptOutcomeBadge ok={response.ok} />
        </h4>
        <Facts rows={facts} />
        <div className="space-y-1">
          <p className="text-xs text-muted-foreground">{t("postbacks.test.body")}</p>
          <Body text={response.body} />
        </div>
      </section>
    </div>
  );
}
