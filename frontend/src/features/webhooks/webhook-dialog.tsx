import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ReactNode } from "react";
import { Controller, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { FormDialog } from "@/components/form-dialog";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { WebhookEndpoint, WebhookEventType } from "@/api/types";
import { eventTypeName } from "@/features/notifications/event-names";
import { webhookFormSchema, webhookFormValues, webhookInput, type WebhookFormValues } from "@/features/webhooks/webhook-form";
import { useSaveWebhook } from "@/features/webhooks/use-webhooks";

type WebhookDialogProps = {
  /** The endpoint edited, or null for a new one. */
  endpoint: WebhookEndpoint | null;
  /** The types the caller may subscribe an endpoint to (`event_types` of the list). */
  eventTypes: readonly WebhookEventType[];
  trigger: ReactNode;
};

/** A new webhook endpoint, or one's address, description, events and whether it is on. */
export function WebhookDialog({ endpoint, eventTypes, trigger }: WebhookDialogProps) {
  const { t } = useTranslation();
  const save = useSaveWebhook(endpoint?.id ?? null);
  const [open, setOpen] = useState(false);
  const form = useForm<WebhookFormValues>({ resolver: zodResolver(webhookFormSchema), defaultValues: webhookFormValues(endpoint) });
  const { errors } = form.formState;
  const prefix = endpoint ? `webhook-${endpoint.id}` : "webhook-new";
  const submit = form.handleSubmit((values) =>
    save.mutate(webhookInput(values), {
      onSuccess: (saved) => {
        toast.success(t(endpoint ? "webhooks.saved" : "webhooks.added"));
        setOpen(false);
        form.reset(webhookFormValues(endpoint ? saved : null));
        save.reset();
      },
    }),
  );
  return (
    <FormDialog
      open={open}
      setOpen={setOpen}
      onClosed={() => {
        form.reset(webhookFormValues(endpoint));
        save.reset();
      }}
      trigger={trigger}
      title={t(endpoint ? "webhooks.editTitle" : "webhooks.addTitle")}
      description={t("webhooks.formText")}
      error={save.error}
      onSubmit={submit}
      pending={save.isPending}
      submitLabel={t(endpoint ? "common.save" : "webhooks.add")}
      testId="webhook-dialog"
    >
      <Field id={`${prefix}-url`} label={t("webhooks.form.url")} error={errors.url?.message}>
        <Input
          id={`${prefix}-url`}
          placeholder="https://example.com/webhooks/events"
          autoComplete="off"
          spellCheck={false}
          className="font-mono text-xs"
          aria-invalid={!!errors.url}
          data-testid="webhook-url"
          {...form.register("url")}
        />
      </Field>
      <Field id={`${prefix}-description`} label={t("webhooks.form.description")} error={errors.description?.message}>
        <Textarea id={`${prefix}-description`} rows={2} data-testid="webhook-description" {...form.register("description")} />
      </Field>
      <Controller
        control={form.control}
        name="events"
        render={({ field }) => (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">{t("webhooks.form.events")}</legend>
            <div className="grid max-h-56 gap-2 overflow-y-auto rounded-md border p-3 sm:grid-cols-2">
              {eventTypes.map((type) => (
                <label key={type} htmlFor={`${prefix}-event-${type}`} className="flex items-center gap-2 text-sm">
                  <Checkbox
                    id={`${prefix}-event-${type}`}
                    checked={field.value.includes(type)}
                    onCheckedChange={(checked) => field.onChange(checked === true ? [...field.value, type] : field.value.filter((chosen) => chosen !== type))}
                    data-testid={`webhook-event-${type}`}
                  />
                  {eventTypeName(t, type)}
                </label>
              ))}
            </div>
            {errors.events?.message ? (
              <p role="alert" className="text-xs text-destructive">
                {t(errors.events.message)}
              </p>
            ) : null}
          </fieldset>
        )}
      />
      <Controller
        control={form.control}
        name="enabled"
        render={({ field }) => (
          <label htmlFor={`${prefix}-enabled`} className="flex items-center gap-2 text-sm">
            <Checkbox
              id={`${prefix}-enabled`}
              checked={field.value}
              onCheckedChange={(checked) => field.onChange(checked === true)}
              data-testid="webhook-enabled"
            />
            {t("webhooks.form.enabled")}
          </label>
        )}
      />
    </FormDialog>
  );
}
