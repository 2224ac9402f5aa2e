/**
 * Case-insensitive key matching, as Go's `encoding/json` does it on the platform's side.
 *
 * `ID`, `id` and `Id` name the same field. When one object holds the same key in two
 * spellings, the later one wins, as in Go. The result is a `Map`, so a key such as
 * `__proto__` is only ever a map entry and can never reach an object's prototype.
 */

/** Keys that are dropped outright: they mean nothing to the platform and are prototype hazards. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Folds an object's own keys to lower case, applying `aliases` (folded spelling → folded field).
 *
 * @example
 * foldKeys({ ID: 1, lightjobtimethreadtotal: 480 }, { lightjobtimethreadtotal: 'lightjobrendertimethread' });
 * // Map { 'id' => 1, 'lightjobrendertimethread' => 480 }
 */
export function foldKeys(
  value: Record<string, unknown>,
  aliases: Readonly<Record<string, string>> = {},
): Map<string, unknown> {
  const folded = new Map<string, unknown>();

  for (const key of Object.keys(value)) {
    const lower = key.toLowerCase();
    if (FORBIDDEN_KEYS.has(lower)) continue;

    const name = Object.hasOwn(aliases, lower) ? (aliases[lower] as string) : lower;
    // Delete first so the later spelling also takes the later position, as a fresh key would.
    folded.delete(name);
    folded.set(name, value[key]);
  }

  return folded;
}

/** Reports whether a parsed JSON value is a plain object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
