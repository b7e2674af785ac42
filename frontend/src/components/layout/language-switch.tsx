import { useTranslation } from "react-i18next";
import { LANGUAGES, setLanguage } from "@/i18n";
import { cn } from "@/lib/cn";

export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div
      role="group"
      aria-label={t("topbar.language")}
      data-testid="language-switch"
      className={cn("inline-flex h-8 items-center rounded-md border p-0.5 text-xs font-medium", className)}
    >
      {LANGUAGES.map((language) => {
        const active = i18n.resolvedLanguage === language;
        return (
          <button
            key={language}
            type="button"
            data-testid={`language-${language}`}
            aria-pressed={active}
            onClick={() => setLanguage(language)}
            className={cn(
              "h-full rounded-[5px] px-2 uppercase transition-colors",
              active ? "bg-secondary text-foreground shadow-xs" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {language}
          </button>
        );
      })}
    </div>
  );
}
