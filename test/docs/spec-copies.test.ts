import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/ ships the public contracts with the package; they must stay identical to the shared specs.
describe.each(['taxonomy.md', 'incident-bundle.md', 'rca-report.md'])('docs/%s', (name) => {
  it('is the same as the shared spec', () => {
    const shipped = readFileSync(join(__dirname, '../../docs', name), 'utf8');
    const spec = readFileSync(join(__dirname, '../../../shared/spec', name), 'utf8');
    expect(shipped).toBe(spec);
  });
});
