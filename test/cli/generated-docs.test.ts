import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RULES } from '../../lambda/classification/rules/index';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { generatedDocs, reportJsonSchema, rulesMarkdown } from '../../scripts/generate-docs';
import { coverageMarkdown } from '../../scripts/coverage-doc';
import { loadCatalogue } from '../../scripts/aws-catalogue';
import { sampleReport } from '../report/renderers/sample-report';
import { ROOT } from './harness';

describe('generated docs', () => {
  it.each(generatedDocs().map((doc) => [doc.path, doc.content] as const))('%s is up to date (run `npm run docs`)', (path, content) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(content);
  });

  it('lists every rule with its id, category, phase, title and remediation', () => {
    const doc = rulesMarkdown();
    for (const rule of RULES) {
      const section = doc.slice(doc.indexOf(`### \`${rule.id}\``));
      expect(section).toContain(`- Category: \`${rule.category}\``);
      expect(section).toMatch(/- Phase: `\w+`/);
      expect(section).toContain('Remediation:');
      for (const url of rule.sources ?? []) expect(section).toContain(`<${url}>`);
    }
  });

  it('lists every documented AWS message of the catalogue with its source and the rule that recognises it', () => {
    const doc = coverageMarkdown(ROOT);
    for (const entry of loadCatalogue(ROOT)) {
      // One message may be documented in several shapes (e.g. a deployment in progress, and a rollback).
      const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${entry.message}\``) && line.includes(`<${entry.source}>`));
      const outcome = 'category' in entry.expected ? `| \`${entry.expected.category}\` |` : '| declined: not analysed |';
      expect(rows.some((row) => row.includes(outcome))).toBe(true);
    }
  });

  it('groups rules under their taxonomy phase', () => {
    const doc = rulesMarkdown([
      { id: 'z-benign', category: 'benign_stop', title: 'Benign', remediation: ['Nothing to do.'], match: () => ({ status: 'no_match' }) },
      { id: 'a-pull', category: 'image_not_found', title: 'Pull', remediation: ['Fix the tag.'], sources: ['https://example.com/doc'], match: () => ({ status: 'no_match' }) },
    ]);
    expect(doc.indexOf('## Phase `image`')).toBeLessThan(doc.indexOf('### `a-pull`'));
    expect(doc.indexOf('### `a-pull`')).toBeLessThan(doc.indexOf('## Phase `benign`'));
    expect(doc.indexOf('## Phase `benign`')).toBeLessThan(doc.indexOf('### `z-benign`'));
    expect(doc).not.toContain('## Phase `app`');
    expect(doc).toContain('Categories no rule produces yet:');
  });

  it('exports a JSON Schema that describes the report and stays open to added fields', () => {
    const schema = JSON.parse(reportJsonSchema()) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('rca-report.v1');
    expect(schema.required).toEqual(expect.arrayContaining(['schema', 'incidentKey', 'rootCause', 'alert']));
    expect(JSON.stringify(schema)).not.toContain('"additionalProperties":false');
    // The schema round-trips through zod, and the sample report is valid under it.
    const back = z.fromJSONSchema(schema);
    expect(back.safeParse(sampleReport).success).toBe(true);
    expect(back.safeParse({ ...sampleReport, severity: 'catastrophic' }).success).toBe(false);
    expect(RcaReportSchema.safeParse(sampleReport).success).toBe(true);
  });
});
