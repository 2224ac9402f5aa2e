/**
 * Option checks shared by the simulator's entry points. Each failure is a RangeError that names
 * the option, the allowed values and the value received, so a caller can fix the call at once.
 */

/** Formats a received value for an error message: strings quoted, other values as written. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);

  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/** Creates the RangeError for an invalid option. */
export function invalidOption(name: string, expected: string, received: unknown): RangeError {
  return new RangeError(
    `invalid ${name}: expected ${expected}, received ${describeValue(received)}`,
  );
}

/** Returns `value` when it is an integer from `min` to `max`; throws RangeError otherwise. */
export function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }

  throw invalidOption(name, `an integer from ${min} to ${max}`, value);
}

/** Returns `value` when it is a finite number from `min` to `max`; throws RangeError otherwise. */
export function requireNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) {
    return value;
  }

  throw invalidOption(name, `a number from ${min} to ${max}`, value);
}
