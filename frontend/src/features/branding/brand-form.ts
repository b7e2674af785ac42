import { z } from "zod";
import type { Brand, BrandInput } from "@/api/types";
import { emailField } from "@/features/auth/schemas";
import { MIN_CONTRAST, pairContrast, parseColor } from "@/features/branding/contrast";

/** The API's limit on the portal's and the sender's names (branding.service MAX_NAME). */
export const MAX_BRAND_NAME = 60;

/** The brand's two colours, each with the colour of text on it; the API checks each pair alone. */
export const COLOR_PAIRS = [
  { color: "primary_color", text: "primary_text_color" },
  { color: "accent_color", text: "accent_text_color" },
] as const;

const colorField = z
  .string()
  .trim()
  .refine((value) => value === "" || parseColor(value) !== undefined, "brand.validation.color");
const optionalName = z.string().trim().max(MAX_BRAND_NAME, "validation.tooLong");
// The API checks the rest of a link (no user or password, a public host); this is what a person gets wrong.
const httpsLink = z
  .string()
  .trim()
  .max(2000, "validation.tooLong")
  .refine((value) => value === "" || /^https:\/\/[^\s/]+\S*$/i.test(value), "brand.validation.https");

export const brandFormSchema = z
  .object({
    portal_name: z.string().trim().min(1, "validation.required").max(MAX_BRAND_NAME, "validation.tooLong"),
    primary_color: colorField,
    primary_text_color: colorField,
    accent_color: colorField,
    accent_text_color: colorField,
    support_email: z.union([z.literal(""), emailField]),
    sender_name: optionalName,
    terms_url: httpsLink,
    privacy_url: httpsLink,
  })
  .superRefine((values, context) => {
    for (const pair of COLOR_PAIRS) {
      const color = values[pair.color];
      const text = values[pair.text];
      // A colour needs the colour of the text on it, and the other way round.
      if ((color === "") !== (text === "")) {
        context.addIssue({ code: "custom", path: [color === "" ? pair.color : pair.text], message: "brand.validation.pairIncomplete" });
        continue;
      }
      const ratio = pairContrast(color, text);
      if (ratio !== undefined && ratio < MIN_CONTRAST) {
        context.addIssue({ code: "custom", path: [pair.text], message: "brand.validation.contrast" });
      }
    }
  });

export type BrandFormValues = z.infer<typeof brandFormSchema>;

/** The form's values for a brand as the API has it ("" for what is not set). */
export function brandToForm(brand: Brand): BrandFormValues {
  return {
    portal_name: brand.portal_name,
    primary_color: brand.primary_color ?? "",
    primary_text_color: brand.primary_text_color ?? "",
    accent_color: brand.accent_color ?? "",
    accent_text_color: brand.accent_text_color ?? "",
    support_email: brand.support_email ?? "",
    sender_name: brand.sender_name ?? "",
    terms_url: brand.terms_url ?? "",
    privacy_url: brand.privacy_url ?? "",
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());
const colorOrNull = (value: string) => parseColor(value) ?? null;

/** The API's body for the form's values: every field (one left empty is cleared). */
export function toBrandInput(values: BrandFormValues): BrandInput {
  return {
    portal_name: values.portal_name.trim(),
    primary_color: colorOrNull(values.primary_color),
    primary_text_color: colorOrNull(values.primary_text_color),
    accent_color: colorOrNull(values.accent_color),
    accent_text_color: colorOrNull(values.accent_text_color),
    support_email: orNull(values.support_email),
    sender_name: orNull(values.sender_name),
    terms_url: orNull(values.terms_url),
    privacy_url: orNull(values.privacy_url),
  };
}
