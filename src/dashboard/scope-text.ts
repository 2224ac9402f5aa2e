/**
 * The token's scope as one line of text. The SDK does not expose the `welcome` frame's scope,
 * so the claims are decoded here for display only; the relay enforces the real scope.
 */
import { formatUnixSeconds } from './format.js';
import { type Lang, translate } from './i18n.js';
import { decodeClaims } from './token.js';

export function describeScope(token: string, lang: Lang): string {
  const label = translate(lang, 'scope');
  if (token === '') return `${label}: ${translate(lang, 'scopeAnonymous')}`;

  const claims = decodeClaims(token);
  if (claims === undefined) return `${label}: ${translate(lang, 'scopeUnreadable')}`;

  const parts: string[] = [];
  if (claims.admin) parts.push(translate(lang, 'scopeAll'));
  if (claims.owners.length > 0) {
    parts.push(`${translate(lang, 'scopeOwners')} ${claims.owners.join(', ')}`);
  }
  if (claims.agencies.length > 0) {
    parts.push(`${translate(lang, 'scopeAgencies')} ${claims.agencies.join(', ')}`);
  }
  if (claims.expiresAt !== undefined) {
    const expires = formatUnixSeconds(claims.expiresAt, lang, 'notFinished');
    parts.push(`${translate(lang, 'scopeExpires')} ${expires}`);
  }
  return `${label}: ${parts.join(' · ')}`;
}
