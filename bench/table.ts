/**
 * The results table, as plain text for the terminal and as Markdown for docs/benchmarks.md.
 * Every row compares a result with a baseline measured in the same run, in the same unit.
 */

/** One line of the table. `ratio` is always result ÷ baseline. */
export interface Row {
  readonly name: string;
  readonly result: number;
  readonly unit: string;
  readonly baseline: number;
}

/** A titled group of rows with the paragraph that explains it in the document. */
export interface Section {
  readonly title: string;
  /** Paragraph on what is measured and on the baseline, written to the document but not to stdout. */
  readonly description: string;
  readonly rows: readonly Row[];
}

const HEADERS = ['case', 'result', 'unit', 'baseline', 'ratio'] as const;

/** Formats a measured value: whole numbers with thousands separators from 100 up, else 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** Formats result ÷ baseline with 3 significant digits, e.g. `0.0521×`. */
export function formatRatio(row: Row): string {
  if (row.baseline === 0) return 'n/a';
  return `${(row.result / row.baseline).toPrecision(3)}×`;
}

function cells(row: Row): string[] {
  return [
    row.name,
    formatNumber(row.result),
    row.unit,
    formatNumber(row.baseline),
    formatRatio(row),
  ];
}

/** Renders the sections as a plain-text table with aligned columns and a title line per section. */
export function formatPlainTable(sections: readonly Section[]): string {
  const body = sections.flatMap((section) => section.rows.map(cells));
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...body.map((line) => (line[column] ?? '').length)),
  );

  // Text columns align left, number columns right.
  const pad = (text: string, column: number): string => {
    const width = widths[column] ?? 0;
    return column === 0 || column === 2 ? text.padEnd(width) : text.padStart(width);
  };
  const line = (values: readonly string[]): string =>
    values.map((value, column) => pad(value, column)).join('  ');

  const lines = [line(HEADERS), widths.map((width) => '-'.repeat(width)).join('  ')];
  for (const section of sections) {
    lines.push('', section.title);
    for (const row of section.rows) lines.push(line(cells(row)));
  }

  return lines.join('\n');
}

/** Renders the sections as one Markdown table, with a bold title row before each section. */
export function formatMarkdownTable(sections: readonly Section[]): string {
  const escapePipes = (text: string): string => text.replaceAll('|', '\\|');
  const lines = [`| ${HEADERS.join(' | ')} |`, '| :-- | --: | :-- | --: | --: |'];

  for (const section of sections) {
    lines.push(`| **${escapePipes(section.title)}** | | | | |`);
    for (const row of section.rows) lines.push(`| ${cells(row).map(escapePipes).join(' | ')} |`);
  }

  return lines.join('\n');
}
