import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import openapi from "@/api/openapi.json";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";

/** The closed set the API answers with: `ErrorCode` in the domain package's errors module. */
function declaredCodes(): string[] {
  const source = readFileSync(join(__dirname, "../../../layers/partnerka/python/partnerka/common/errors.py"), "utf8");
  const block = /class ErrorCode\(StrEnum\):\n((?:    .*\n|\n)+?)(?=\S)/.exec(source)?.[1] ?? "";
  return [...block.matchAll(/^ {4}[A-Z_]+ = "([a-z_]+)"/gm)].map((match) => match[1] as string);
}

/** Every error-code enum the OpenAPI document declares (any schema listing `internal_error`). */
function documentedCodes(node: unknown = openapi): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => documentedCodes(item));
  if (!node || typeof node !== "object") return [];
  const values = Object.values(node as Record<string, unknown>);
  const own = (node as { enum?: unknown }).enum;
  const codes = Array.isArray(own) && own.includes("internal_error") ? (own as string[]) : [];
  return [...codes, ...values.flatMap((value) => documentedCodes(value))];
}

// The client's own: the server cannot be reached.
const CLIENT_CODES = ["network_error"];

describe("error codes", () => {
  const codes = [...new Set([...declaredCodes(), ...documentedCodes(), ...CLIENT_CODES])].sort();

  it("are read from the API's closed set", () => {
    expect(declaredCodes()).toContain("validation_error");
    expect(declaredCodes().length).toBeGreaterThan(15);
  });

  it("each have a text in English and in Russian", () => {
    const missing = (texts: Record<string, string>) => codes.filter((code) => !texts[code]?.trim());
    expect(missing(en.errors.codes)).toEqual([]);
    expect(missing(ru.errors.codes)).toEqual([]);
  });

  it("have no texts for codes that do not exist", () => {
    expect(Object.keys(en.errors.codes).filter((code) => !codes.includes(code))).toEqual([]);
  });
});
