import type { InterpolationOptions } from "i18next";
import { showBidiControls } from "@/lib/bidi";

/**
 * How values enter translated text ("Now working in {{advertiser}}"): React escapes markup itself,
 * so the one escape needed is for bidi controls in names people wrote, which are shown instead of
 * obeyed (toasts, titles and descriptions take plain strings).
 */
export const INTERPOLATION: InterpolationOptions = { escapeValue: true, escape: (value: string) => showBidiControls(String(value)) };
