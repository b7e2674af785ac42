import { describe, expect, it } from "vitest";
import openapi from "@/api/openapi.json";
import type { ClientErrorCode, ErrorCode } from "@/api/types";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";

type Document = { components: { schemas: Record<string, unknown> } };

/**
 * The codes the API documents: its `ErrorCode` enum, and the codes each error envelope of the
 * document lists (a response's `error.code`), so an envelope naming a code outside the enum counts too.
 */
function documentedCodes(document: Document): string[] {
  const declared = (document.components.schemas.ErrorCode as { enum?: string[] } | undefined)?.enum ?? [];
  const listed = (node: unknown): string[] => {
    if (Array.isArray(node)) return node.flatMap(listed);
    if (!node || typeof node !== "object") return [];
    const { properties } = node as { properties?: { error?: { properties?: { code?: { enum?: unknown } } } } };
    const codes = properties?.error?.properties?.code?.enum;
    return [...(Array.isArray(codes) ? (codes as string[]) : []), ...Object.values(node).flatMap(listed)];
  };
  return [...new Set([...declared, ...listed(document)])].sort();
}

const CLIENT_CODES: ClientErrorCode[] = ["network_error"];

/** The codes among `codes` that have no text (or a blank one) in `texts`. */
function withoutText(codes: readonly string[], texts: Record<string, string>): string[] {
  return codes.filter((code) => !texts[code]?.trim());
}

describe("error codes", () => {
  const codes = [...documentedCodes(openapi), ...CLIENT_CODES];

  it("are read from the API's OpenAPI document", () => {
    const declared: ErrorCode[] = ["validation_error", "forbidden", "internal_error"];
    expect(codes).toEqual(expect.arrayContaining(declared));
    expect(documentedCodes(openapi).length).toBeGreaterThan(15);
  });

  it("each have a text in English and in Russian", () => {
    expect(withoutText(codes, en.errors.codes)).toEqual([]);
    expect(withoutText(codes, ru.errors.codes)).toEqual([]);
  });

  it("have no texts for codes that do not exist", () => {
    expect(Object.keys(en.errors.codes).filter((code) => !codes.includes(code))).toEqual([]);
    expect(Object.keys(ru.errors.codes).filter((code) => !codes.includes(code))).toEqual([]);
  });

  it("catch a code the document gains before the translations do", () => {
    // A newer API document: one more code in the enum, and an envelope listing one the enum lacks.
    const schemas = openapi.components.schemas;
    const newer: Document = {
      components: {
        schemas: {
          ...schemas,
          ErrorCode: { ...schemas.ErrorCode, enum: [...schemas.ErrorCode.enum, "payout_frozen"] },
          Error423: { properties: { error: { properties: { code: { enum: ["account_locked"] } } } } },
        },
      },
    };
    expect(withoutText(documentedCodes(newer), en.errors.codes)).toEqual(["account_locked", "payout_frozen"]);
    expect(withoutText(documentedCodes(newer), ru.errors.codes)).toEqual(["account_locked", "payout_frozen"]);
  });
});
