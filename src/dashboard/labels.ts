/**
 * The page's fixed labels: every element with `data-i18n` (text), `data-i18n-placeholder`,
 * `data-i18n-aria-label` or `data-status` (a status option) is relabelled on a language switch.
 */
import { isMessageKey, type Lang, statusText, translate } from './i18n.js';

const LANG_KEY = 'render-relay.lang';

/** Returns the saved language, Chinese by default. */
export function loadLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
}

/** Writes every fixed label of the page in `lang`. */
export function applyStaticLabels(lang: Lang): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = translate(lang, 'title');

  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = node.dataset.i18n ?? '';
    if (isMessageKey(key)) node.textContent = translate(lang, key);
  }
  for (const node of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) {
    const key = node.dataset.i18nPlaceholder ?? '';
    if (isMessageKey(key)) node.placeholder = translate(lang, key);
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    const key = node.dataset.i18nAriaLabel ?? '';
    if (isMessageKey(key)) node.setAttribute('aria-label', translate(lang, key));
  }
  for (const node of document.querySelectorAll<HTMLOptionElement>('option[data-status]')) {
    node.textContent = statusText(lang, Number(node.dataset.status));
  }
}
