import { ApiError } from "@/api/api-error";
import type { BlockList, BlockListInput, BlockListKind, SubKey } from "@/api/types";

export const KINDS: BlockListKind[] = ["ips", "asns", "countries", "subs", "referrers", "user_agents"];
export const SUB_KEYS: SubKey[] = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"];

/** The entries of one kind (of one sub key) as text, one a line. */
export function entriesText(list: BlockList, kind: BlockListKind, subKey: SubKey): string {
  const entries = kind === "subs" ? (list.subs[subKey] ?? []) : list[kind];
  return entries.map(String).join("\n");
}

/** Text's entries: one a line, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The whole list to send with one kind (of one sub key) replaced by `text`'s entries, the rest as they are. */
export function withKindReplaced(list: BlockList, kind: BlockListKind, subKey: SubKey, text: string): BlockListInput {
  const body: BlockListInput = {
    ips: list.ips,
    asns: list.asns,
    countries: list.countries,
    subs: { ...list.subs },
    referrers: list.referrers,
    user_agents: list.user_agents,
  };
  if (kind === "subs") return { ...body, subs: { ...body.subs, [subKey]: linesOf(text) } };
  return { ...body, [kind]: linesOf(text) };
}

export type RefusedEntry = { position: number; entry: string; message: string };

/** The entries the API refused (`validation_error` with `entries`), or none for any other error. */
export function refusedEntries(error: unknown): RefusedEntry[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.envelope.entries)) return [];
  return error.envelope.entries.flatMap((item: unknown) => {
    if (!item || typeof item !== "object") return [];
    const { position, entry, message } = item as Record<string, unknown>;
    return typeof position === "number" && typeof entry === "string" && typeof message === "string" ? [{ position, entry, message }] : [];
  });
}
