/**
 * The language of what the CLI prints for people: Chinese by default, English with
 * `--lang en` or `RELAY_LANG=en`.
 */
export type Lang = 'zh' | 'en';

/** Picks the language from a flag value, then the environment. */
export function pickLang(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Lang {
  const value = (flag ?? env.RELAY_LANG ?? 'zh').toLowerCase();
  return value.startsWith('en') ? 'en' : 'zh';
}

/** A text in both languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}
