import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "@/i18n/en.json";
import ru from "@/i18n/ru.json";
import { INTERPOLATION } from "@/i18n/interpolation";
import { initialLanguage, isLanguage, LANGUAGES, type Language } from "@/i18n/language";

export { LANGUAGES, type Language } from "@/i18n/language";

const STORAGE_KEY = "pk.lang";

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  void i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : "en";
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: initialLanguage(readStored(), typeof navigator === "undefined" ? [] : navigator.languages),
  fallbackLng: "en",
  supportedLngs: LANGUAGES,
  interpolation: INTERPOLATION,
  returnNull: false,
});

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.language;

export default i18n;
