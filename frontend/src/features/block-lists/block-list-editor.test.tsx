import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import i18next from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { BlockList } from "@/api/types";
import { BlockListEditor } from "@/features/block-lists/block-list-editor";
import { blockListKey } from "@/features/block-lists/use-block-lists";
import en from "@/i18n/en.json";
import { INTERPOLATION } from "@/i18n/interpolation";

// Nothing here reaches the API: the list is in the query cache already.
vi.mock("@/api/client", () => ({ api: {}, authFetch: fetch, refreshSession: async () => null }));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ resources: { en: { translation: en } }, lng: "en", interpolation: INTERPOLATION });
});

const LIST: BlockList = {
  offer_id: "off_1",
  ips: ["203.0.113.0/24", "192.0.2.7"],
  asns: [16509],
  countries: [],
  subs: {},
  referrers: ["spam.example"],
  user_agents: [],
  counts: { ips: 2, asns: 1, countries: 0, subs: 0, referrers: 1, user_agents: 0 },
  limits: { ips: 10000, asns: 1000, countries: 250, subs: 1000, referrers: 2000, user_agents: 200 },
  updated_at: "2026-12-07T10:00:00.000Z",
};

function render(manages: boolean): string {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(blockListKey({ offerId: "off_1" }), LIST);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <BlockListEditor scope={{ offerId: "off_1" }} manages={manages} />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the block list editor", () => {
  it("counts each kind's entries and shows the first kind's, one a line, against its limit", () => {
    const html = render(true);
    expect(html).toContain('data-testid="block-count-ips">2<');
    expect(html).toContain('data-testid="block-count-referrers">1<');
    expect(html).toContain("203.0.113.0/24\n192.0.2.7");
    expect(html).toContain("2 of 10000");
    expect(html).toContain('data-testid="block-paste"');
    expect(html).toContain('data-testid="block-save"');
  });

  it("lets those who may only read see the list but not change it", () => {
    const html = render(false);
    expect(html).toContain("203.0.113.0/24\n192.0.2.7");
    expect(html).toContain("readOnly");
    expect(html).not.toContain('data-testid="block-paste"');
    expect(html).not.toContain('data-testid="block-save"');
  });
});
