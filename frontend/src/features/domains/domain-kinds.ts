import type { DomainKind } from "@/api/types";

/** What a custom domain serves: the affiliates' portal, or tracking links (the API's `DomainIn.kind`). */
export const DOMAIN_KINDS = ["portal", "tracking"] as const satisfies readonly DomainKind[];
