/**
 * Respells a task body's keys in one of two spellings a platform build may send. The relay
 * matches keys case-insensitively, so both spellings must reach it as the same task.
 */

/**
 * `'lower'`: every key lower-cased, as in the platform's documented example, which also spells
 * LightJobRenderTimeThread as `lightjobtimethreadtotal`. `'go'`: the Go field names.
 */
export type KeyStyle = 'lower' | 'go';

/** Every key style, for option checks and help text. */
export const KEY_STYLES: readonly KeyStyle[] = ['lower', 'go'];

/** Keys that the lower style spells differently from the lower-cased Go name. */
const LOWER_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['LightJobRenderTimeThread', 'lightjobtimethreadtotal'],
]);

// NOTE: the Go names of the file fields are inferred from Go's default JSON encoding of a
// struct with these fields. The documented example shows only the lower-case spelling.
const GO_FILE_KEYS: ReadonlyMap<string, string> = new Map([
  ['name', 'Name'],
  ['size', 'Size'],
  ['time', 'Time'],
  ['isdir', 'IsDir'],
]);

/**
 * Returns a copy of a body in Go field names with its keys, and those of its
 * RenderOutputFiles or Files entries, spelled in `style`. The input is not changed.
 */
export function applyKeyStyle(
  body: Readonly<Record<string, unknown>>,
  style: KeyStyle,
): Record<string, unknown> {
  // Object.fromEntries defines each key as an own property, so even `__proto__` stays data.
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      const styledKey = style === 'go' ? key : (LOWER_SPELLINGS.get(key) ?? key.toLowerCase());
      const isFileList = key === 'RenderOutputFiles' || key === 'Files';
      return [styledKey, isFileList ? styleFiles(value, style) : value];
    }),
  );
}

function styleFiles(files: unknown, style: KeyStyle): unknown {
  if (!Array.isArray(files)) return files;

  return files.map((file: unknown) => {
    if (typeof file !== 'object' || file === null) return file;

    return Object.fromEntries(
      Object.entries(file).map(([key, value]) => {
        const lower = key.toLowerCase();
        return [style === 'go' ? (GO_FILE_KEYS.get(lower) ?? key) : lower, value];
      }),
    );
  });
}
