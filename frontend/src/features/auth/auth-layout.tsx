import { CheckCircle2Icon } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Brand } from "@/components/layout/brand";
import { LanguageSwitch } from "@/components/layout/language-switch";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { UserText } from "@/components/user-text";
import { useBrand, usePageTitle } from "@/features/branding/brand-provider";

type AuthLayoutProps = { title: ReactNode; description?: ReactNode; children: ReactNode; footer?: ReactNode };

/** The frame of every signed-out screen: a brand panel on wide screens, a centred form, and the brand's contacts. */
export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  const { t } = useTranslation();
  const { brand, onPortal } = useBrand();
  usePageTitle(typeof title === "string" ? title : undefined);
  // The platform's own host speaks to advertisers; an advertiser's portal to its affiliates.
  const points = onPortal ? [] : ["auth.panel.point1", "auth.panel.point2", "auth.panel.point3"];
  return (
    <div className="grid min-h-svh lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <aside className="relative hidden overflow-hidden border-r bg-sidebar lg:flex lg:flex-col lg:justify-between lg:p-10">
        <div
          aria-hidden
          className="pointer-events-none absolute inset-0 opacity-70 [background:radial-gradient(60%_50%_at_20%_10%,color-mix(in_oklch,var(--primary)_18%,transparent),transparent),radial-gradient(50%_40%_at_90%_90%,color-mix(in_oklch,var(--primary)_12%,transparent),transparent)]"
        />
        <Brand className="relative text-base" />
        <div className="relative max-w-md space-y-6">
          <h2 className="text-3xl font-semibold tracking-tight text-balance">
            {onPortal ? t("auth.portalPanel.title", { brand: brand.name }) : t("auth.panel.title")}
          </h2>
          <p className="text-muted-foreground">{onPortal ? t("auth.portalPanel.text") : t("auth.panel.text")}</p>
          {points.length > 0 ? (
            <ul className="space-y-3">
              {points.map((key) => (
                <li key={key} className="flex items-start gap-2.5 text-sm">
                  <CheckCircle2Icon className="mt-0.5 size-4 shrink-0 text-primary" />
                  <span>{t(key)}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <p className="relative text-xs text-muted-foreground">
          © <UserText value={brand.name} />
        </p>
      </aside>
      <div className="flex flex-col">
        <header className="flex h-16 items-center justify-between px-6">
          <Brand className="lg:invisible" />
          <div className="flex items-center gap-2">
            <LanguageSwitch />
            <ThemeSwitch />
          </div>
        </header>
        <main className="flex flex-1 items-center justify-center px-6 pb-16">
          <div className="w-full max-w-sm space-y-6">
            <div className="space-y-1.5">
              <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
              {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
            </div>
            {children}
            {footer ? <div className="text-center text-sm text-muted-foreground">{footer}</div> : null}
          </div>
        </main>
        <BrandFooter />
      </div>
    </div>
  );
}

const footerLink = "underline-offset-4 hover:text-foreground hover:underline";

/** The brand's support address and legal links, those it has. */
function BrandFooter() {
  const { t } = useTranslation();
  const { brand } = useBrand();
  const links = [
    brand.support_email ? { key: "support", href: `mailto:${brand.support_email}`, label: t("brand.supportEmail", { email: brand.support_email }) } : null,
    brand.terms_url ? { key: "terms", href: brand.terms_url, label: t("brand.terms") } : null,
    brand.privacy_url ? { key: "privacy", href: brand.privacy_url, label: t("brand.privacy") } : null,
  ].filter((link) => link !== null);
  return (
    <footer className="flex flex-wrap items-center justify-center gap-x-4 gap-y-1 px-6 pb-6 text-xs text-muted-foreground" data-testid="brand-footer">
      <span className="lg:hidden">
        © <UserText value={brand.name} />
      </span>
      {links.map((link) => (
        <a
          key={link.key}
          href={link.href}
          className={footerLink}
          data-testid={`brand-${link.key}`}
          {...(link.key === "support" ? {} : { target: "_blank", rel: "noopener noreferrer" })}
        >
          {link.label}
        </a>
      ))}
    </footer>
  );
}
