import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Brand } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { brandFormSchema, brandToForm, COLOR_PAIRS, MAX_BRAND_NAME, toBrandInput, type BrandFormValues } from "@/features/branding/brand-form";
import { BrandPreview } from "@/features/branding/brand-preview";
import { ColorPairField } from "@/features/branding/color-pair-field";
import { MIN_CONTRAST } from "@/features/branding/contrast";
import { useSaveBrand } from "@/features/branding/use-brand-settings";
import { formatNumber } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

/** The brand's name, contacts, links and colours, saved together (its images are saved as they are uploaded). */
export function BrandSettingsForm({ brand, advertiserId }: { brand: Brand; advertiserId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const save = useSaveBrand(advertiserId);
  const form = useForm<BrandFormValues>({ resolver: zodResolver(brandFormSchema), defaultValues: brandToForm(brand) });
  const { errors, isDirty } = form.formState;
  const submit = form.handleSubmit((values) =>
    save.mutate(toBrandInput(values), {
      onSuccess: (saved) => {
        form.reset(brandToForm(saved));
        toast.success(t("brand.saved"));
      },
    }),
  );
  const text = (name: keyof BrandFormValues, label: string, hint: string, props: { type?: string; placeholder?: string; autoComplete?: string } = {}) => (
    <Field id={`brand-${name}`} label={label} hint={hint} error={errors[name]?.message}>
      <Input id={`brand-${name}`} aria-invalid={!!errors[name]} data-testid={`brand-${name}`} autoComplete="off" {...props} {...form.register(name)} />
    </Field>
  );

  return (
    <form noValidate className="space-y-6" onSubmit={submit} data-testid="brand-form">
      <Card>
        <CardHeader>
          <CardTitle>{t("brand.identity.title")}</CardTitle>
          <CardDescription>{t("brand.identity.text")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          {text("portal_name", t("brand.fields.portalName"), t("brand.fields.portalNameHint", { max: formatNumber(MAX_BRAND_NAME, i18n.language) }))}
          {text("sender_name", t("brand.fields.senderName"), t("brand.fields.senderNameHint"))}
          {text("support_email", t("brand.fields.supportEmail"), t("brand.fields.supportEmailHint"), { type: "email", placeholder: "support@example.com" })}
          <div className="hidden sm:block" />
          {text("terms_url", t("brand.fields.termsUrl"), t("brand.fields.linkHint"), { type: "url", placeholder: "https://example.com/terms" })}
          {text("privacy_url", t("brand.fields.privacyUrl"), t("brand.fields.linkHint"), { type: "url", placeholder: "https://example.com/privacy" })}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t("brand.colors.title")}</CardTitle>
          <CardDescription>{t("brand.colors.text", { min: formatNumber(MIN_CONTRAST, i18n.language) })}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {COLOR_PAIRS.map((pair) => (
            <ColorPairField
              key={pair.color}
              pair={pair}
              labels={{ color: t(`brand.colors.${pair.color}`), text: t(`brand.colors.${pair.text}`) }}
              hint={t(`brand.colors.hints.${pair.color}`)}
              control={form.control}
              errors={errors}
              setValue={form.setValue}
            />
          ))}
          <BrandPreview control={form.control} />
        </CardContent>
        <CardFooter className="flex-col items-stretch gap-3 sm:flex-row sm:items-center sm:justify-end">
          {save.error ? (
            <FormError className="sm:mr-auto" testId="brand-save-error">
              {errorMessage(save.error)}
            </FormError>
          ) : null}
          <Button type="submit" disabled={save.isPending || !isDirty} data-testid="brand-save">
            {save.isPending ? <Spinner /> : null}
            {t("common.save")}
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}
