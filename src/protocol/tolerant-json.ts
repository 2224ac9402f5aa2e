/**
 * Reads the platform's JSON, including the non-strict form its own documentation shows.
 *
 * Strict `JSON.parse` is the fast path. The rewrite below runs only when strict parsing fails
 * or when the text holds an integer too long to be exact as a JavaScript number. It changes
 * exactly three things outside string literals and nothing inside them:
 * - a comma directly before `}` or `]` is dropped (the documented example has them);
 * - the bare words `True`, `False`, `None` become `true`, `false`, `null`;
 * - an integer literal beyond 2^53 becomes a string, so the schema can reject it by field name
 *   instead of `JSON.parse` rounding it silently.
 */

/** The text could not be read as JSON even with the tolerant rewrite. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

// 16 digits in a row is the shortest run that can exceed Number.MAX_SAFE_INTEGER (9007199254740991).
const LONG_DIGIT_RUN = /\d{16}/;

const BARE_WORDS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

/**
 * Parses JSON text, falling back to the tolerant rewrite described above.
 *
 * @throws JsonSyntaxError when neither reading succeeds, with the strict parser's reason.
 * @example
 * parseTolerantJson('{"isdir": False,}'); // { isdir: false }
 */
export function parseTolerantJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through: the tolerant rewrite may still read it.
    }
  }

  const rewritten = rewriteTolerant(text);

  try {
    return JSON.parse(rewritten);
  } catch (error) {
    throw new JsonSyntaxError(describeSyntaxError(error));
  }
}

function describeSyntaxError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}

/**
 * Applies the three rewrites in one pass. Unchanged stretches are copied as slices, so a large
 * body that needs no rewrite costs one scan, not one string per character.
 */
function rewriteTolerant(text: string): string {
  const out: string[] = [];
  let copiedUpTo = 0;
  let i = 0;

  const replace = (start: number, end: number, replacement: string): void => {
    out.push(text.slice(copiedUpTo, start), replacement);
    copiedUpTo = end;
  };

  while (i < text.length) {
    const ch = text[i] as string;

    if (ch === '"') {
      i = findStringEnd(text, i);
      continue;
    }

    if (ch === ',' && isFollowedByClose(text, i + 1)) {
      replace(i, i + 1, '');
      i += 1;
      continue;
    }

    if (isWordStart(ch)) {
      const end = scanWhile(text, i, isWordChar);
      const bare = BARE_WORDS[text.slice(i, end)];
      if (bare !== undefined) replace(i, end, bare);
      i = end;
      continue;
    }

    if (ch === '-' || isDigit(ch)) {
      const end = scanNumber(text, i);
      const literal = text.slice(i, end);
      const quoted = quoteIfUnsafeInteger(literal);
      if (quoted !== literal) replace(i, end, quoted);
      i = end;
      continue;
    }

    i += 1;
  }

  out.push(text.slice(copiedUpTo));
  return out.join('');
}

/** Returns the index just past the closing quote, or the text's end when the string is unterminated. */
function findStringEnd(text: string, start: number): number {
  let i = start + 1;

  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '"') return i + 1;
    i += 1;
  }

  return text.length;
}

function isFollowedByClose(text: string, from: number): boolean {
  const next = scanWhile(text, from, isWhitespace);
  const ch = text[next];
  return ch === '}' || ch === ']';
}

function scanNumber(text: string, start: number): number {
  return scanWhile(
    text,
    start + 1,
    (ch) => isDigit(ch) || ch === '.' || ch === 'e' || ch === 'E' || ch === '+' || ch === '-',
  );
}

function quoteIfUnsafeInteger(literal: string): string {
  if (!/^-?\d+$/.test(literal)) return literal;
  if (Number.isSafeInteger(Number(literal))) return literal;
  return `"${literal}"`;
}

function scanWhile(text: string, start: number, accept: (ch: string) => boolean): number {
  let i = start;
  while (i < text.length && accept(text[i] as string)) i += 1;
  return i;
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isWordStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

function isWordChar(ch: string): boolean {
  return isWordStart(ch) || isDigit(ch) || ch === '_';
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}
