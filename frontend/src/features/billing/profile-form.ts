import { z } from "zod";
import type { BillingPaymentMethod, BillingProfile } from "@/api/types";
import { emailField } from "@/features/auth/schemas";

/** How an advertiser pays the platform's invoices, in the form's order. */
export const PAYMENT_METHODS = ["card", "bank_transfer"] as const satisfies readonly BillingPaymentMethod[];
/** The languages the platform's invoices are written in. */
export const INVOICE_LANGUAGES = ["en", "ru"] as const satisfies readonly BillingProfile["locale"][];

/** Whom the platform's invoices are addressed to; every field may stay empty (the team's addresses get them then). Messages are i18n keys. */
export const billingProfileSchema = z.object({
  legal_name: z.string().trim().max(200, "validation.tooLong"),
  address: z.string().trim().max(500, "validation.tooLong"),
  tax_id: z.string().trim().max(40, "validation.tooLong"),
  email: z.union([z.literal(""), emailField.max(254, "validation.tooLong")]),
  locale: z.enum(INVOICE_LANGUAGES),
  payment_method: z.enum(PAYMENT_METHODS),
});
export type BillingProfileValues = z.infer<typeof billingProfileSchema>;

export function profileToForm(profile: BillingProfile): BillingProfileValues {
  return {
    legal_name: profile.legal_name ?? "",
    address: profile.address ?? "",
    tax_id: profile.tax_id ?? "",
    email: profile.email ?? "",
    locale: profile.locale ?? "en",
    payment_method: profile.payment_method ?? "card",
  };
}

/** The `PUT` body: the form's values, trimmed. */
export function toProfileBody(values: BillingProfileValues): BillingProfile {
  return {
    legal_name: values.legal_name.trim(),
    address: values.address.trim(),
    tax_id: values.tax_id.trim(),
    email: values.email.trim(),
    locale: values.locale,
    payment_method: values.payment_method,
  };
}
