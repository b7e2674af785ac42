import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";

/** One of the advertiser's postback whitelists: where it is read from and saved to. */
export type Whitelist = {
  key: readonly string[];
  load: () => Promise<string[]>;
  save: (entries: string[]) => Promise<string[]>;
};

/** Networks allowed to send the advertiser conversion postbacks. */
export const postbackIps: Whitelist = {
  key: ["settings", "postback-ips"],
  load: async () => (await unwrap(api.GET("/api/settings/postback-ips"))).ips,
  save: async (ips) => (await unwrap(api.PUT("/api/settings/postback-ips", { body: { ips } }))).ips,
};

/** Hosts that affiliates' postbacks for the advertiser's events may reach. */
export const postbackDomains: Whitelist = {
  key: ["settings", "postback-domains"],
  load: async () => (await unwrap(api.GET("/api/settings/postback-domains"))).domains,
  save: async (domains) => (await unwrap(api.PUT("/api/settings/postback-domains", { body: { domains } }))).domains,
};

export function useWhitelist(whitelist: Whitelist) {
  const current = useQuery({ queryKey: whitelist.key, queryFn: whitelist.load });
  const save = useMutation({
    mutationFn: whitelist.save,
    onSuccess: (saved) => queryClient.setQueryData(whitelist.key, saved),
  });
  return { current, save };
}
