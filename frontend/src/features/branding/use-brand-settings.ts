import { useMutation, useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/api-error";
import { api } from "@/api/client";
import { queryClient } from "@/api/query-client";
import type { Brand, BrandAssetKind, BrandInput } from "@/api/types";
import { postToStorage, uploadBrandAsset, type AssetUploads } from "@/features/branding/brand-assets";
import { portalKeys } from "@/features/branding/portal";

/** Whose brand: the signed-in advertiser's own (undefined), or the one platform staff picked. */
const brandKey = (advertiserId: string | undefined) => ["brand", advertiserId ?? null] as const;
const scope = (advertiserId: string | undefined) => ({ query: advertiserId ? { advertiser_id: advertiserId } : {} });

export function useBrandSettings(advertiserId: string | undefined, enabled = true) {
  return useQuery({ queryKey: brandKey(advertiserId), queryFn: () => unwrap(api.GET("/api/brand", { params: scope(advertiserId) })), enabled });
}

/** The brand as the API answered a change; the page's own brand is asked again (it may be this one). */
function changed(advertiserId: string | undefined, brand: Brand): void {
  queryClient.setQueryData(brandKey(advertiserId), brand);
  void queryClient.invalidateQueries({ queryKey: portalKeys.all });
}

export function useSaveBrand(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (body: BrandInput) => unwrap(api.PUT("/api/brand", { params: scope(advertiserId), body })),
    onSuccess: (brand) => changed(advertiserId, brand),
  });
}

function uploadsFor(advertiserId: string | undefined): AssetUploads {
  return {
    start: (kind, contentType, size) =>
      unwrap(api.POST("/api/brand/uploads", { params: scope(advertiserId), body: { kind, content_type: contentType, size } })),
    post: postToStorage,
    attach: (kind, key) => unwrap(api.PUT("/api/brand/assets/{kind}", { params: { path: { kind }, ...scope(advertiserId) }, body: { key } })),
  };
}

export function useUploadBrandAsset(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: ({ kind, file }: { kind: BrandAssetKind; file: File }) => uploadBrandAsset(kind, file, uploadsFor(advertiserId)),
    onSuccess: (brand) => changed(advertiserId, brand),
  });
}

export function useRemoveBrandAsset(advertiserId: string | undefined) {
  return useMutation({
    mutationFn: (kind: BrandAssetKind) => unwrap(api.DELETE("/api/brand/assets/{kind}", { params: { path: { kind }, ...scope(advertiserId) } })),
    onSuccess: (brand) => changed(advertiserId, brand),
  });
}
