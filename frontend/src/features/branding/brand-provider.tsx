import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Portal, PublicBrand } from "@/api/types";
import { ErrorState } from "@/components/error-state";
import { Spinner } from "@/components/ui/spinner";
import { useSessionPermissions } from "@/features/auth/use-me";
import { useSession } from "@/features/auth/use-session";
import { applyBrand } from "@/features/branding/brand-document";
import { brandedAdvertiser } from "@/features/branding/brand-scope";
import { advertiserPortalQuery, hostPortalQuery } from "@/features/branding/portal";

type BrandValue = {
  /** The brand every page shows: its name, colours, images, support address and legal links. */
  brand: PublicBrand;
  /** Whether the page's host is an advertiser's portal domain, where only its affiliates and its team sign in. */
  onPortal: boolean;
  setPageTitle: (title: string | undefined) => void;
};

const BrandContext = createContext<BrandValue | null>(null);

/**
 * The brand of the page, from `GET /api/portal`: the platform's on its own host, an advertiser's on
 * its portal domain or for an affiliate working for it. Nothing renders before it is known, so a
 * branded portal never shows another name first; the document's title, icon and colours follow it.
 */
export function BrandProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const host = useQuery(hostPortalQuery);
  const session = useSession();
  const permissions = useSessionPermissions(session?.user.id ?? null, host.data?.platform === true);
  const advertiserId = brandedAdvertiser(host.data, session, permissions);
  const advertiser = useQuery({ ...advertiserPortalQuery(advertiserId ?? null), enabled: typeof advertiserId === "string" });
  // An advertiser the API does not know (404) shows the host's brand.
  const asked = advertiserId === undefined ? undefined : advertiserId === null ? host.data : (advertiser.data ?? (advertiser.isError ? host.data : undefined));
  // Once a brand shows, it stays until the next one has arrived (signing in, switching advertiser):
  // only the first page waits with nothing of any brand on it.
  const [shown, setShown] = useState<Portal | undefined>(undefined);
  if (asked && asked !== shown) setShown(asked);
  const portal = asked ?? shown;

  const [pageTitle, setPageTitle] = useState<string | undefined>(undefined);
  const brand = portal?.brand;
  const title = brand ? (pageTitle ? t("brand.documentTitle", { page: pageTitle, brand: brand.name }) : brand.name) : undefined;
  // Before the first paint of a branded page, so its colours never flash the theme's.
  useLayoutEffect(() => {
    if (brand && title !== undefined) applyBrand(document, brand, title);
  }, [brand, title]);

  const onPortal = host.data?.platform === false;
  const value = useMemo(() => (brand ? { brand, onPortal, setPageTitle } : null), [brand, onPortal]);
  if (!value) {
    return host.isError ? (
      <div className="mx-auto flex min-h-svh max-w-md items-center px-4">
        <ErrorState error={host.error} onRetry={() => void host.refetch()} />
      </div>
    ) : (
      <div className="flex min-h-svh items-center justify-center text-muted-foreground" data-testid="brand-loading">
        <Spinner className="size-5" />
      </div>
    );
  }
  return <BrandContext.Provider value={value}>{children}</BrandContext.Provider>;
}

/** The page's brand; inside `BrandProvider` only (it renders nothing before the brand is known). */
export function useBrand(): Omit<BrandValue, "setPageTitle"> {
  const value = useContext(BrandContext);
  if (!value) throw new Error("useBrand outside BrandProvider");
  return value;
}

/** Names the page in the document's title, before the brand's name, while the calling screen shows. */
export function usePageTitle(title: string | undefined): void {
  const setPageTitle = useContext(BrandContext)?.setPageTitle;
  useEffect(() => {
    setPageTitle?.(title);
    return () => setPageTitle?.(undefined);
  }, [setPageTitle, title]);
}
