import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initialLanguage } from "@/i18n/language";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Dotted keys of a resource, with plural forms folded into their base key. */
function keysOf(tree: object, prefix = ""): Set<string> {
  const keys = new Set<string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (value && typeof value === "object") for (const nested of keysOf(value, key)) keys.add(nested);
    else keys.add(key.replace(PLURAL, ""));
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

describe("translations", () => {
  const enKeys = keysOf(en);
  const ruKeys = keysOf(ru);

  it("have the same keys in English and Russian", () => {
    expect([...enKeys].filter((key) => !ruKeys.has(key))).toEqual([]);
    expect([...ruKeys].filter((key) => !enKeys.has(key))).toEqual([]);
  });

  it("have no empty strings", () => {
    const empty = (tree: object): boolean => Object.values(tree).some((value) => (value && typeof value === "object" ? empty(value) : value === ""));
    expect(empty(en)).toBe(false);
    expect(empty(ru)).toBe(false);
  });

  it("define every literal key the code uses", () => {
    const namespaces = Object.keys(en).join("|");
    const literal = new RegExp(`["'\`]((?:${namespaces})\\.[A-Za-z0-9_.]+)["'\`]`, "g");
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, ".."))) {
      for (const match of readFileSync(file, "utf8").matchAll(literal)) used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !enKeys.has(key))).toEqual([]);
  });
});

describe("initialLanguage", () => {
  it("prefers the remembered choice, then the browser, then English", () => {
    expect(initialLanguage("ru", ["en-US"])).toBe("ru");
    expect(initialLanguage(null, ["ru-RU", "en"])).toBe("ru");
    expect(initialLanguage("de", ["de-DE", "en-GB"])).toBe("en");
    expect(initialLanguage(null, [])).toBe("en");
  });
});
