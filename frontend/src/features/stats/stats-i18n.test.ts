import { describe, expect, it } from "vitest";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { CPC_COLUMNS, REPORT_COLUMNS } from "@/features/stats/report-columns";
import { CHART_METRICS } from "@/features/stats/stats-format";
import { DEVICES, FILTER_NAMES, GROUPS, LOGS } from "@/features/stats/stats-params";
import { DATE_PRESETS } from "@/lib/date-range";

/** The statistics screens build these keys from the API's values, so the keys test cannot see them. */
const families: [string, readonly string[]][] = [
  ["stats.presets", [...DATE_PRESETS, "custom"]],
  ["stats.filters", FILTER_NAMES],
  ["stats.groups", GROUPS],
  ["stats.metrics", [...REPORT_COLUMNS.filter((column) => !CPC_COLUMNS.includes(column)), ...CHART_METRICS]],
  ["cpc.metrics", CPC_COLUMNS],
  ["clicks.devices", DEVICES],
  ["logs.tabs", LOGS],
  ["logs.flags", ["bots", "flood", "datacenter"]],
  ["exports.status", ["queued", "running", "ready", "failed"]],
  ["exports.kinds", ["report", "clicks", "conversions"]],
  ["summaries.periods", ["daily", "monthly"]],
  ["monitor.queueNames", ["postback", "postback-dlq", "finance", "finance-dlq", "notify", "notify-dlq", "orchestrator-failures", "reports", "reports-dlq"]],
  ["operations.types", ["postback", "stats", "finance", "notify", "reports", "domain"]],
];

function lookup(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe("statistics texts", () => {
  for (const [language, tree] of [
    ["en", en],
    ["ru", ru],
  ] as const) {
    it(`name every value the screens show in ${language}`, () => {
      const missing = families.flatMap(([prefix, values]) =>
        values.filter((value) => typeof lookup(tree, `${prefix}.${value}`) !== "string").map((value) => `${prefix}.${value}`),
      );
      expect(missing).toEqual([]);
    });
  }

  it("count rows in Russian with all its plural forms", () => {
    for (const key of ["exports.rows", "exports.building", "reports.rowsFound", "stats.subsSet"]) {
      for (const form of ["one", "few", "many", "other"]) expect(typeof lookup(ru, `${key}_${form}`)).toBe("string");
    }
  });
});
