import type { Brand, BrandAssetKind, BrandUploadForm } from "@/api/types";

/**
 * The brand's images: which files each may be, and how one is uploaded. The browser asks the API
 * for a presigned form (`POST /api/brand/uploads`), posts the file with it straight to storage, then
 * asks the API to check and attach it (`PUT /api/brand/assets/{kind}`). The API checks every file
 * again, by its bytes; refusing here only saves a person an upload that would be refused.
 */

export const ASSET_KINDS = ["logo_light", "logo_dark", "favicon"] as const satisfies readonly BrandAssetKind[];

const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"];
// ICO goes by two names in browsers' File.type.
const FAVICON_TYPES = ["image/png", "image/x-icon", "image/vnd.microsoft.icon"];
/** The types each image may be, as the API takes them (branding.service ASSET_RULES). */
export const ACCEPTED_TYPES: Readonly<Record<BrandAssetKind, readonly string[]>> = {
  logo_light: LOGO_TYPES,
  logo_dark: LOGO_TYPES,
  favicon: FAVICON_TYPES,
};

// A file the system gave no type, by its name's extension.
const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  ico: "image/x-icon",
  svg: "image/svg+xml",
};

/** Why a file cannot be a brand image, before anything is sent. */
export type AssetProblem =
  /** An SVG can carry script; the API takes raster images only. */
  { reason: "svg" } | { reason: "type"; type: string } | { reason: "empty" } | { reason: "size"; size: number; maxBytes: number };

export class AssetRefused extends Error {
  readonly problem: AssetProblem;

  constructor(problem: AssetProblem) {
    super(`brand image refused: ${problem.reason}`);
    this.name = "AssetRefused";
    this.problem = problem;
  }
}

/** Storage did not take the file (the form expired, or the network failed). */
export class AssetUploadFailed extends Error {
  constructor(status: number) {
    super(`storage answered ${status} to the upload`);
    this.name = "AssetUploadFailed";
  }
}

/** The file's media type: the browser's, else its name's extension's (a system may leave it blank). */
export function mediaTypeOf(file: Pick<File, "type" | "name">): string {
  if (file.type) return file.type.toLowerCase();
  const extension = file.name.toLowerCase().split(".").at(-1) ?? "";
  return BY_EXTENSION[extension] ?? "";
}

/** What is wrong with `file` as a `kind` image, by its type and emptiness (its size limit comes with the upload form). */
export function assetProblem(kind: BrandAssetKind, file: Pick<File, "type" | "name" | "size">): AssetProblem | null {
  const type = mediaTypeOf(file);
  if (type === "image/svg+xml") return { reason: "svg" };
  if (!ACCEPTED_TYPES[kind].includes(type)) return { reason: "type", type };
  if (file.size === 0) return { reason: "empty" };
  return null;
}

/** The multipart body storage expects: every field of the presigned form first, the file last (S3 ignores fields after it). */
export function uploadBody(form: BrandUploadForm, file: Blob): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", file);
  return body;
}

/** What an upload talks to: the API (start, attach) and storage (post). */
export type AssetUploads = {
  start: (kind: BrandAssetKind, contentType: string, size: number) => Promise<BrandUploadForm>;
  post: (url: string, body: FormData) => Promise<void>;
  attach: (kind: BrandAssetKind, key: string) => Promise<Brand>;
};

/** Uploads `file` as the brand's `kind` image and answers the brand with it; throws `AssetRefused` for a file refused here. */
export async function uploadBrandAsset(kind: BrandAssetKind, file: File, uploads: AssetUploads): Promise<Brand> {
  const problem = assetProblem(kind, file);
  if (problem) throw new AssetRefused(problem);
  const form = await uploads.start(kind, mediaTypeOf(file), file.size);
  if (file.size > form.max_bytes) throw new AssetRefused({ reason: "size", size: file.size, maxBytes: form.max_bytes });
  await uploads.post(form.url, uploadBody(form, file));
  return uploads.attach(kind, form.key);
}

/**
 * Posts a presigned form to storage: a plain fetch, not the API client's (storage is another origin
 * and must get neither the session's token nor its cookies).
 */
export async function postToStorage(url: string, body: FormData): Promise<void> {
  const response = await fetch(url, { method: "POST", body, credentials: "omit" });
  if (!response.ok) throw new AssetUploadFailed(response.status);
}
