import { analyseEntry, catalogueBundle, checkEntry, loadCatalogue } from '../../scripts/aws-catalogue';
import { CATEGORY_IDS } from '../../lambda/classification/taxonomy';
import { ROOT } from '../cli/harness';

/**
 * Every message AWS documents for ECS tasks, services, deployments and load-balancer targets
 * (`test/fixtures/aws-catalogue/*.json`, each with its source page) run through the pipeline of
 * `ecs-rca analyze` as the smallest bundle that shows it: the root cause has the expected category and
 * cites the message, and the alert decision is the expected one. Informational events get a `benign_stop` report that does not alert.
 */
const catalogue = loadCatalogue(ROOT);

describe('AWS catalogue', () => {
  it('has unique ids and only taxonomy categories', () => {
    const ids = catalogue.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of catalogue) {
      if ('category' in entry.expected) expect(CATEGORY_IDS).toContain(entry.expected.category);
    }
  });

  it.each(catalogue.map((entry) => [`${entry.file} ${entry.id}`, entry] as const))('%s', (_name, entry) => {
    expect(checkEntry(entry, analyseEntry(entry))).toEqual([]);
  });

  it('builds each bundle around the literal message', () => {
    for (const entry of catalogue) expect(JSON.stringify(catalogueBundle(entry))).toContain(JSON.stringify(entry.message).slice(1, -1));
  });
});
