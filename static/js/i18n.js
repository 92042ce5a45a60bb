// English and Korean. Elements carry data-i18n="key" (text) or data-i18n-title="key"
// (tooltip); the strings live in strings.js. User text is never inserted as HTML.
import { LESSON_STRINGS } from "./strings-lessons.js";
import { STRINGS as PAGE_STRINGS } from "./strings.js";

const STRINGS = {
  en: { ...PAGE_STRINGS.en, ...LESSON_STRINGS.en },
  ko: { ...PAGE_STRINGS.ko, ...LESSON_STRINGS.ko },
};

export function t(lang, key, values = {}) {
  const text = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

export function translatePage(root, lang) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(lang, el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.title = t(lang, el.dataset.i18nTitle);
  }
  for (const button of root.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
}

// For pages without their own state module: the language comes from ?lang= and the header's
// buttons switch it (and the URL). onChange(lang) runs after every switch and at the start.
export function setupLanguage(onChange = () => {}) {
  let lang = new URL(window.location.href).searchParams.get("lang") === "ko" ? "ko" : "en";
  const apply = () => {
    translatePage(document, lang);
    onChange(lang);
  };
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      lang = button.dataset.lang;
      const url = new URL(window.location.href); // as it is now: the page may have changed it
      url.searchParams.set("lang", lang);
      window.history.replaceState(null, "", url);
      apply();
    });
  }
  apply();
  return () => lang;
}
