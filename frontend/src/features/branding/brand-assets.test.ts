import { describe, expect, it } from "vitest";
import type { Brand, BrandAssetKind, BrandUploadForm } from "@/api/types";
import { AssetRefused, assetProblem, uploadBody, uploadBrandAsset, type AssetUploads } from "@/features/branding/brand-assets";

const png = (size = 10, name = "logo.png", type = "image/png") => new File([new Uint8Array(size)], name, { type });

const form: BrandUploadForm = {
  url: "https://brand-bucket.s3.example.com/",
  fields: { key: "uploads/adv_1/0123", "Content-Type": "image/png", policy: "cG9saWN5", "x-amz-signature": "c2ln" },
  key: "uploads/adv_1/0123",
  max_bytes: 100,
};

/** Storage and the API as the upload sees them: every call recorded, answers as the real ones give. */
class FakeUploads implements AssetUploads {
  calls: string[] = [];
  posted: FormData | null = null;
  constructor(private readonly answer: BrandUploadForm = form) {}
  start = async (kind: BrandAssetKind, contentType: string, size: number) => {
    this.calls.push(`start ${kind} ${contentType} ${size}`);
    return this.answer;
  };
  post = async (url: string, body: FormData) => {
    this.calls.push(`post ${url}`);
    this.posted = body;
  };
  attach = async (kind: BrandAssetKind, key: string) => {
    this.calls.push(`attach ${kind} ${key}`);
    return { advertiser_id: "adv_1", [`${kind}_url`]: "/brand/adv_1/abc.png" } as unknown as Brand;
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AssetRefused);
  return (error as AssetRefused).problem;
}

describe("uploading a brand image", () => {
  it("posts every field of the presigned form first and the file last", () => {
    const file = png();
    const entries = [...uploadBody(form, file).entries()];
    expect(entries.map(([name]) => name)).toEqual(["key", "Content-Type", "policy", "x-amz-signature", "file"]);
    expect(entries.slice(0, 4).map(([, value]) => value)).toEqual(["uploads/adv_1/0123", "image/png", "cG9saWN5", "c2ln"]);
    expect(entries.at(-1)?.[1]).toBeInstanceOf(Blob);
  });

  it("asks for a form, posts the file to storage, then attaches the upload by its key", async () => {
    const uploads = new FakeUploads();
    const brand = await uploadBrandAsset("logo_dark", png(10), uploads);
    expect(uploads.calls).toEqual(["start logo_dark image/png 10", `post ${form.url}`, "attach logo_dark uploads/adv_1/0123"]);
    expect(uploads.posted?.get("file")).toBeInstanceOf(Blob);
    expect(brand.logo_dark_url).toBe("/brand/adv_1/abc.png");
  });

  it("refuses a file larger than the form allows before posting it", async () => {
    const uploads = new FakeUploads();
    expect(await refusal(uploadBrandAsset("logo_light", png(101), uploads))).toEqual({ reason: "size", size: 101, maxBytes: 100 });
    expect(uploads.calls).toEqual(["start logo_light image/png 101"]);
  });

  it("refuses an SVG, for any image, without asking the API", async () => {
    for (const kind of ["logo_light", "logo_dark", "favicon"] as const) {
      const uploads = new FakeUploads();
      expect(await refusal(uploadBrandAsset(kind, png(10, "logo.svg", "image/svg+xml"), uploads))).toEqual({ reason: "svg" });
      expect(uploads.calls).toEqual([]);
    }
    // a system that typed nothing: the name says SVG
    expect(assetProblem("logo_light", png(10, "Logo.SVG", ""))).toEqual({ reason: "svg" });
  });

  it("takes PNG, JPEG and WebP logos and PNG or ICO favicons, nothing else", () => {
    for (const type of ["image/png", "image/jpeg", "image/webp"]) expect(assetProblem("logo_light", png(10, "x", type))).toBeNull();
    for (const type of ["image/png", "image/x-icon", "image/vnd.microsoft.icon"]) expect(assetProblem("favicon", png(10, "x", type))).toBeNull();
    expect(assetProblem("favicon", png(10, "favicon.ico", ""))).toBeNull();
    expect(assetProblem("favicon", png(10, "x.jpg", "image/jpeg"))).toEqual({ reason: "type", type: "image/jpeg" });
    expect(assetProblem("logo_dark", png(10, "x.ico", "image/x-icon"))).toEqual({ reason: "type", type: "image/x-icon" });
    expect(assetProblem("logo_dark", png(10, "x.gif", "image/gif"))).toEqual({ reason: "type", type: "image/gif" });
  });

  it("refuses an empty file", async () => {
    const uploads = new FakeUploads();
    expect(await refusal(uploadBrandAsset("favicon", png(0), uploads))).toEqual({ reason: "empty" });
    expect(uploads.calls).toEqual([]);
  });
});
