/**
 * Turns command line flags into settings. Every relay setting is a flag named after it
 * (`maxBodyBytes` → `--max-body-bytes`) and an environment variable (`RELAY_MAX_BODY_BYTES`).
 */
import type { parseArgs } from 'node:util';
import { flagName, type RelayConfig, SETTING_NAMES } from '../config.js';

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

const BOOLEAN_SETTINGS = new Set<keyof RelayConfig>(['allowAnonymous']);

/** parseArgs option specs for every relay setting. */
export function settingOptions(): NonNullable<ParseOptions> {
  const options: NonNullable<ParseOptions> = {};
  for (const key of SETTING_NAMES) {
    options[flagName(key)] = { type: BOOLEAN_SETTINGS.has(key) ? 'boolean' : 'string' };
  }
  return options;
}

/** Picks the relay settings out of parsed flag values, by setting name. */
export function settingFlags(
  values: Record<string, unknown>,
): Partial<Record<keyof RelayConfig, string | boolean>> {
  const flags: Partial<Record<keyof RelayConfig, string | boolean>> = {};
  for (const key of SETTING_NAMES) {
    const value = values[flagName(key)];
    if (typeof value === 'string' || typeof value === 'boolean') flags[key] = value;
  }
  return flags;
}
