import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const docs = (name: string): string => readFileSync(join(__dirname, '../../docs', name), 'utf8');
const spec = (name: string): string => readFileSync(join(__dirname, '../../../shared/spec', name), 'utf8');

// docs/ ships the public contracts with the package and is their home; ../shared/spec is the minimum
// they keep.
describe.each(['incident-bundle.md'])('docs/%s', (name) => {
  it('is the same as the shared spec', () => {
    expect(docs(name)).toBe(spec(name));
  });
});

describe('docs/taxonomy.md', () => {
  it('keeps every category of the shared spec with its phase and alert default', () => {
    const rows = (text: string): string[] => [...text.matchAll(/^\| ([^|]+) \| `([a-z_]+)` \| (yes|no) \|/gm)].map((m) => `${m[1]}|${m[2]}|${m[3]}`);
    const published = rows(spec('taxonomy.md'));
    expect(published.length).toBeGreaterThan(20);
    const shipped = rows(docs('taxonomy.md'));
    expect(published.filter((row) => !shipped.includes(row))).toEqual([]);
  });
});

describe('docs/rca-report.md', () => {
  it('keeps every field of the shared spec and its Finding description', () => {
    const fields = (text: string): string[] => [...text.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1] as string);
    const published = fields(spec('rca-report.md'));
    expect(published.length).toBeGreaterThan(10);
    expect(published.filter((field) => !fields(docs('rca-report.md')).includes(field))).toEqual([]);
    const finding = spec('rca-report.md').slice(spec('rca-report.md').indexOf('A **Finding** is'));
    expect(docs('rca-report.md')).toContain(finding);
  });
});
