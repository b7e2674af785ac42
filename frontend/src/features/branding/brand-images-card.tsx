import type { TFunction } from "i18next";
import { ImageOffIcon, Trash2Icon, UploadIcon } from "lucide-react";
import { useRef, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Brand, BrandAssetKind } from "@/api/types";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { ACCEPTED_TYPES, ASSET_KINDS, AssetRefused, AssetUploadFailed, type AssetProblem } from "@/features/branding/brand-assets";
import { useRemoveBrandAsset, useUploadBrandAsset } from "@/features/branding/use-brand-settings";
import { cn } from "@/lib/cn";
import { formatBytes } from "@/lib/format";
import { useErrorMessage } from "@/lib/use-error-message";

const URL_FIELD = { logo_light: "logo_light_url", logo_dark: "logo_dark_url", favicon: "favicon_url" } as const satisfies Record<BrandAssetKind, keyof Brand>;
// Each logo on the background it is drawn for.
const BACKDROP: Record<BrandAssetKind, string> = {
  logo_light: "bg-white",
  logo_dark: "bg-neutral-900",
  favicon: "bg-muted",
};

/** Why a file was refused before anything was sent, in the reader's words. */
export function assetProblemText(t: TFunction, kind: BrandAssetKind, problem: AssetProblem, language: string): string {
  const formats = t(kind === "favicon" ? "brand.images.faviconFormats" : "brand.images.logoFormats");
  switch (problem.reason) {
    case "svg":
      return t("brand.images.svgRefused", { formats });
    case "type":
      return t("brand.images.typeRefused", { formats });
    case "empty":
      return t("brand.images.emptyRefused");
    case "size":
      return t("brand.images.sizeRefused", { size: formatBytes(problem.size, language), max: formatBytes(problem.maxBytes, language) });
  }
}

/** The brand's logos (one per theme) and browser icon: each shown as it is, uploaded or removed on its own. */
export function BrandImagesCard({ brand, advertiserId }: { brand: Brand; advertiserId: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("brand.images.title")}</CardTitle>
        <CardDescription>{t("brand.images.text")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {ASSET_KINDS.map((kind) => (
          <AssetSlot key={kind} kind={kind} url={brand[URL_FIELD[kind]]} advertiserId={advertiserId} />
        ))}
        <p className="text-xs text-muted-foreground">{t("brand.images.svgNote")}</p>
      </CardContent>
    </Card>
  );
}

function AssetSlot({ kind, url, advertiserId }: { kind: BrandAssetKind; url: string | null; advertiserId: string | undefined }) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const upload = useUploadBrandAsset(advertiserId);
  const remove = useRemoveBrandAsset(advertiserId);
  const picker = useRef<HTMLInputElement>(null);
  const busy = upload.isPending || remove.isPending;
  const label = t(`brand.images.kinds.${kind}`);

  const onPicked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ""; // the same file may be picked again after a refusal
    if (!file) return;
    remove.reset();
    upload.mutate({ kind, file }, { onSuccess: () => toast.success(t("brand.images.uploaded", { image: label })) });
  };
  const failure = upload.error ?? remove.error;
  const failureText =
    failure instanceof AssetRefused
      ? assetProblemText(t, kind, failure.problem, i18n.language)
      : failure instanceof AssetUploadFailed
        ? t("brand.images.uploadFailed")
        : failure
          ? errorMessage(failure)
          : null;

  return (
    <div className="flex flex-col gap-3 rounded-lg border p-4 sm:flex-row sm:items-center" data-testid={`brand-image-${kind}`}>
      <div className={cn("flex h-16 w-full shrink-0 items-center justify-center rounded-md border sm:w-48", BACKDROP[kind])}>
        {url ? (
          <img
            src={url}
            alt={label}
            className={kind === "favicon" ? "size-8 object-contain" : "max-h-12 max-w-40 object-contain"}
            data-testid={`brand-image-${kind}-current`}
          />
        ) : (
          <ImageOffIcon className="size-5 text-muted-foreground" aria-hidden />
        )}
      </div>
      <div className="min-w-0 flex-1 space-y-1">
        <p className="text-sm font-medium">{label}</p>
        <p className="text-xs text-muted-foreground">
          {t(kind === "favicon" ? "brand.images.faviconFormats" : "brand.images.logoFormats")}
          {" · "}
          {url ? t("brand.images.shown") : t(kind === "favicon" ? "brand.images.noneIcon" : "brand.images.noneLogo")}
        </p>
        {failureText ? (
          <FormError className="mt-2" testId={`brand-image-${kind}-error`}>
            {failureText}
          </FormError>
        ) : null}
      </div>
      <div className="flex shrink-0 gap-2">
        <input
          ref={picker}
          type="file"
          className="hidden"
          // ICO has no one media type every system gives it: its extension too.
          accept={[...ACCEPTED_TYPES[kind], ...(kind === "favicon" ? [".ico"] : [])].join(",")}
          onChange={onPicked}
          data-testid={`brand-image-${kind}-file`}
        />
        <Button type="button" size="sm" variant="outline" disabled={busy} onClick={() => picker.current?.click()} data-testid={`brand-image-${kind}-upload`}>
          {upload.isPending ? <Spinner /> : <UploadIcon />}
          {url ? t("brand.images.replace") : t("brand.images.upload")}
        </Button>
        {url ? (
          <Button
            type="button"
            size="sm"
            variant="outline"
            disabled={busy}
            onClick={() => {
              upload.reset();
              remove.mutate(kind, { onSuccess: () => toast.success(t("brand.images.removed", { image: label })) });
            }}
            data-testid={`brand-image-${kind}-remove`}
          >
            {remove.isPending ? <Spinner /> : <Trash2Icon />}
            {t("brand.images.remove")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
