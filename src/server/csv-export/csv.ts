/**
 * CSV (RFC 4180) for spreadsheets. A cell that a spreadsheet would read as a formula (starting with
 * =, +, -, @, tab or carriage return: OWASP "CSV injection") is prefixed with an apostrophe, so a
 * user name sent by an IdP can never run as a formula on an auditor's machine.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  else text = String(value);
  // Numbers are written as numbers: "-3" is a value, not a formula.
  if (typeof value !== "number" && typeof value !== "bigint" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
