/**
 * Hides the credentials in robot webhook URLs before they reach a log line. The WeCom `key`,
 * the DingTalk `access_token` and `sign`, and the Feishu hook token each let anyone post to the
 * group, so every query value and the last segment of a Feishu-style hook path are masked.
 */

const MASK = '***';

/** Returns the URL with every query value and any `/hook/<token>` segment masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MASK;
  }

  parsed.username = '';
  parsed.password = '';
  parsed.pathname = parsed.pathname.replace(/\/hook\/[^/]+/, `/hook/${MASK}`);
  const keys = [...new Set(parsed.searchParams.keys())];
  for (const key of keys) parsed.searchParams.set(key, MASK);
  return parsed.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/**
 * Replaces every occurrence of the given secrets in `text` with a mask. Secrets shorter than
 * four characters are left alone, because masking them would garble ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.replaceAll(secret, MASK);
  }
  return result;
}
