import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { PostbackSettings } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/section-card";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { OptionSelect } from "@/features/offers/option-select";
import { EventCheckboxes } from "@/features/postbacks/event-checkboxes";
import { OverridesEditor } from "@/features/postbacks/overrides-editor";
import { POSTBACK_FORMATS, postbackFormSchema, settingsToForm, toSettingsInput, type PostbackFormValues } from "@/features/postbacks/postback-form";
import { SigningSecretPanel } from "@/features/postbacks/signing-secret-panel";
import { useMacroTarget } from "@/features/postbacks/use-macro-target";
import { useSavePostbackSettings } from "@/features/postbacks/use-postback-settings";
import { formatDateTime } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** The affiliate's postback settings: the global URL, its events and format, and the overrides. */
export function PostbackSettingsForm({ settings }: { settings: PostbackSettings }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const save = useSavePostbackSettings();
  const form = useForm<PostbackFormValues>({ resolver: zodResolver(postbackFormSchema(settings.macros)), defaultValues: settingsToForm(settings) });
  const { control } = form;
  const { errors } = form.formState;
  const macros = useMacroTarget(form);
  const format = useWatch({ control, name: "format" });

  const submit = form.handleSubmit((values) =>
    save.mutate(toSettingsInput(values), {
      onSuccess: (saved) => {
        form.reset(settingsToForm(saved));
        toast.success(t("postbacks.saved"));
      },
    }),
  );

  return (
    <form noValidate className="space-y-6" onSubmit={submit} data-testid="postback-form">
      <Section
        title={t("postbacks.globalTitle")}
        description={
          settings.updated_at ? t("postbacks.globalTextSaved", { date: formatDateTime(settings.updated_at, i18n.language) }) : t("postbacks.globalText")
        }
      >
        <Field id="postback-url" label={t("postbacks.url")} error={errors.url?.message} hint={t("postbacks.urlHint")}>
          <Textarea
            id="postback-url"
            rows={3}
            spellCheck={false}
            placeholder="https://tracker.example.com/postback?click_id={click_id}&status={status}&payout={payout}"
            className="min-h-20 font-mono text-xs"
            aria-invalid={!!errors.url}
            data-testid="postback-url"
            {...macros.registerUrl("url")}
          />
        </Field>
        <div className="space-y-2">
          <p className="text-sm font-medium">{t("postbacks.macrosLabel")}</p>
          <div className="flex flex-wrap gap-1.5" data-testid="postback-macros">
            {settings.macros.map((macro) => (
              <Button
                key={macro}
                variant="outline"
                size="sm"
                className="h-6 px-2 font-mono text-xs"
                // Keeps the focus (and the cursor) in the URL field.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => macros.insert(macro)}
                data-testid={`postback-macro-${macro.replace(/[{}]/g, "")}`}
              >
                {macro}
              </Button>
            ))}
          </div>
          <p className="text-xs text-muted-foreground">{t("postbacks.macrosHint")}</p>
        </div>
        <div className="space-y-2">
          <p className="text-sm font-medium">{t("postbacks.eventsLabel")}</p>
          <Controller
            control={control}
            name="events"
            render={({ field }) => (
              <EventCheckboxes value={field.value} onChange={field.onChange} idPrefix="postback-event" label={t("postbacks.eventsLabel")} />
            )}
          />
          <p className="text-xs text-muted-foreground">{t("postbacks.eventsHint")}</p>
        </div>
        <Field id="postback-format" label={t("postbacks.format")} hint={t(`postbacks.formatHint.${format}`)} className="max-w-md">
          <Controller
            control={control}
            name="format"
            render={({ field }) => (
              <OptionSelect
                id="postback-format"
                value={field.value}
                onChange={field.onChange}
                options={POSTBACK_FORMATS}
                label={(value) => t(`postbacks.formats.${value}`)}
                testId="postback-format"
              />
            )}
          />
        </Field>
        {format === "webhook" ? <SigningSecretPanel secret={settings.signing_secret} /> : null}
      </Section>

      <Section title={t("postbacks.overrides.title")} description={t("postbacks.overrides.text")}>
        <OverridesEditor form={form} registerUrl={macros.registerUrl} />
      </Section>

      {save.error ? <FormError testId="postback-save-error">{errorMessage(save.error)}</FormError> : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={save.isPending} data-testid="postback-save">
          {save.isPending ? <Spinner /> : null}
          {t("common.save")}
        </Button>
      </div>
    </form>
  );
}
