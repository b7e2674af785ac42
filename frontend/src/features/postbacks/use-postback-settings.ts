import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { PostbackSettings, PostbackSettingsInput, PostbackTest } from "@/api/types";

export const postbackKeys = {
  settings: ["postback-settings"] as const,
};

const keep = (settings: PostbackSettings) => queryClient.setQueryData(postbackKeys.settings, settings);

/** The affiliate's postback settings (one set for all its advertisers, with overrides per advertiser). */
export function usePostbackSettings() {
  return useQuery({ queryKey: postbackKeys.settings, queryFn: () => unwrap(api.GET("/api/postback-settings")) });
}

export function useSavePostbackSettings() {
  return useMutation({
    mutationFn: (body: PostbackSettingsInput) => unwrap(api.PUT("/api/postback-settings", { body })),
    onSuccess: keep,
  });
}

/** A new webhook signing secret; the old one stops verifying at once. Unsaved form edits are kept. */
export function useRotateSigningSecret() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/postback-settings/rotate-secret")),
    onSuccess: keep,
  });
}

/** Sends a sample event now and answers with both sides of the exchange; nothing is stored. */
export function usePostbackTest() {
  return useMutation({
    mutationFn: (body: PostbackTest) => unwrap(api.POST("/api/postback-settings/test", { body })),
  });
}
