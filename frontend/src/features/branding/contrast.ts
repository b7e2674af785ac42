/**
 * Colours of a brand and whether text is readable on them, computed as the API does
 * (branding.service: WCAG 2.x relative luminance and contrast ratio), so the form refuses exactly
 * what the server would.
 */

/** WCAG 2.x AA for normal text: what the API asks of every colour and the colour of text on it. */
export const MIN_CONTRAST = 4.5;

const COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#rrggbb" in lower case from "#rgb" or "#rrggbb" in any case (what the API stores); undefined for anything else. */
export function parseColor(value: string): string | undefined {
  const text = value.trim();
  if (!COLOR.test(text)) return undefined;
  const digits = text.slice(1).toLowerCase();
  return `#${digits.length === 6 ? digits : [...digits].map((digit) => digit + digit).join("")}`;
}

/** WCAG 2.x relative luminance of a "#rrggbb" colour, its sRGB channels linearised. */
export function relativeLuminance(color: string): number {
  const linear = (channel: number) => {
    const value = channel / 255;
    // sRGB's own threshold; WCAG 2.0 printed 0.03928, and no 8-bit channel lies between the two.
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const [red, green, blue] = [1, 3, 5].map((start) => linear(parseInt(color.slice(start, start + 2), 16))) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** The contrast ratio of two "#rrggbb" colours, from 1 (the same) to 21 (black on white); the order does not matter. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** A colour and the colour of text on it, as a person typed them: their ratio when both are colours. */
export function pairContrast(background: string, text: string): number | undefined {
  const color = parseColor(background);
  const textColor = parseColor(text);
  return color && textColor ? contrastRatio(color, textColor) : undefined;
}

/** A ratio as the API writes it in its refusal ("4.48"), in the reader's language. */
export function formatContrast(ratio: number, language: string): string {
  return new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(ratio);
}
