/**
 * CSV for reports: RFC 4180 (CRLF line ends, a header row, fields quoted when they contain `"`, `,`, CR or LF, with
 * embedded quotes doubled), and safe to open in a spreadsheet: a text cell starting with `=`, `+`, `-`, `@`, tab,
 * CR or NUL gets a leading `'` so Excel, LibreOffice and Sheets show it as text instead of evaluating a formula
 * (OWASP "CSV Injection"; ASVS 5 V1.2.10).
 */

/** A cell value: text, a finite number, a boolean, or null (an empty cell). */
export type CsvCell = string | number | boolean | null;

/** The characters that make a spreadsheet treat a cell as a formula when they come first. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\0']);

/**
 * Neutralises a text cell a spreadsheet would evaluate: prefixes `'` when the first character is a formula
 * trigger; any other text is returned unchanged.
 */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/**
 * One field as written: null is empty; numbers and booleans as their decimal/`true`/`false` text; text is
 * neutralised (`neutraliseFormula`) and then quoted when it contains `"`, `,`, CR or LF. Throws Error on a
 * non-finite number (a bug: reports never produce one).
 */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`CSV cell is not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutraliseFormula(value);
  // `;` and tab too: a spreadsheet set to split on them would otherwise start a new cell (`a;=1+1`) unquoted.
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF terminator. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A column: its header text and how to read the cell from a row. */
export interface CsvColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => CsvCell;
}

/**
 * The whole document: the header row, then one record per row, each ending in CRLF. Headers go through the same
 * quoting and neutralisation as cells.
 */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [csvLine(columns.map((c) => c.header))];
  for (const row of rows) lines.push(csvLine(columns.map((c) => c.value(row))));
  return lines.join('');
}
