/** One row of the benchmark table: a figure beside its reference measured in the same run. */
export interface Row {
  /** Measurement number and name, e.g. `1 throughput 10k lines`. */
  name: string;
  /** The figure with its unit. */
  figure: string;
  /** What it is compared with, with its unit. */
  reference: string;
  /** figure / reference, when both are numbers of the same kind. */
  ratio?: number;
  /** The budget in words, e.g. `≥ 0.5× grep`; empty for informational rows. */
  budget: string;
  /** Undefined for informational rows. */
  pass?: boolean;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** The rows as one fixed-width text table. */
export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.name, r.figure, r.reference, r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.budget, r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'FAIL']);
  const header = ['measurement', 'figure', 'reference (same run)', 'ratio', 'budget', 'result'];
  const widths = header.map((h, i) => Math.max([...h].length, ...cells.map((c) => [...(c[i] as string)].length)));
  const line = (c: readonly string[]) => c.map((cell, i) => pad(cell, widths[i] as number)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

/** The rows as a Markdown table (for the Performance section of README.md). */
export function renderMarkdown(rows: readonly Row[]): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| measurement | figure | reference (same run) | ratio | budget | result |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${[r.name, r.figure, r.reference, r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.budget, r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'FAIL'].map(escape).join(' | ')} |`);
  }
  return lines.join('\n');
}
