import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { RENDER_FORMATS, render } from '../../lambda/report/renderers';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { chatbotNotification, snsSubject } from '../../lambda/report/renderers/sns';
import { headline } from '../../lambda/report/renderers/summary';
import type { RcaReport } from '../../lambda/report/report-schema';
import { RULES } from '../../lambda/classification/rules/index';
import { caseEvidence, type CaseInput, type RuleCases } from '../classification/rule-tester';

// A log author tries to write our headlines: a forged security notice with a link, Slack mentions and
// a Slack link, terminal colours and a right-to-left override. It is put where rules take the words
// they name in a title (after the last and the first `: `, inside quotes, at the end of the line) in
// every log line, stop reason and container reason of every runtime's and sidecar's fatal-output
// fixture and of our recorded incidents; none of it may reach a title, a remediation step, the
// headline, the SNS subject, the chat card's title or next steps, or the Slack header or preview.
const FORGED =
  'AWS SECURITY NOTICE: credentials leaked, rotate at http://evil.example @channel <!here> <http://x|click> \u001b[31mALERT\u001b[0m \u202eSPOOF\u202c';
const LEAKS = /SECURITY|NOTICE|credentials leaked|rotate at|evil|@channel|here>|click|ALERT|SPOOF|\u001b|[\u202a-\u202e\u2066-\u2069]/;
// The same as one name-shaped token (a link), for values rules take from a single word.
const FORGED_TOKEN = 'http://evil.example/SECURITY-NOTICE';
// Control sequences and bidi controls are removed from every format, evidence included.
const CONTROLS = /\u001b|\\u001b|[\u202a-\u202e\u2066-\u2069]|\\u202[a-e]/i;

const DIRS = [join(__dirname, '../fixtures/runtimes'), join(__dirname, '../fixtures'), join(__dirname, '../../../shared/corpus')];
const files = DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)));

type Forge = (line: string) => string;
const FORGERIES: Record<string, Forge> = {
  'after the last ": "': (line) => (line.includes(': ') ? `${line.slice(0, line.lastIndexOf(': ') + 2)}${FORGED}` : line),
  'after the first ": "': (line) => (line.includes(': ') ? `${line.slice(0, line.indexOf(': ') + 2)}${FORGED}` : line),
  'inside quotes': (line) => line.replace(/'[^'\n]*'/g, `'${FORGED}'`).replace(/"[^"\n]*"/g, `"${FORGED}"`),
  'at the end': (line) => `${line} ${FORGED}`,
  'as a token in quotes': (line) => line.replace(/'[^'\n]*'/g, `'${FORGED_TOKEN}'`).replace(/"[^"\n]*"/g, `"${FORGED_TOKEN}"`),
  'as a token after the last ": "': (line) => (line.includes(': ') ? `${line.slice(0, line.lastIndexOf(': ') + 2)}${FORGED_TOKEN}` : line),
  'as every path- or host-like word': (line) => line.replace(/(^|\s)\S*[/.:]\S*(?=\s|$)/g, `$1${FORGED_TOKEN}`),
};
// Bundle fields and rule-case shorthands that hold read text.
const FORGED_KEYS = new Set(['message', 'stoppedReason', 'reason', 'log', 'containerReason', 'serviceEvents']);

/** The bundle with every line of every log message, stop reason and container reason forged. */
function forge(value: unknown, how: Forge, key = ''): unknown {
  if (typeof value === 'string') return FORGED_KEYS.has(key) ? value.split('\n').map(how).join('\n') : value;
  if (Array.isArray(value)) return value.map((v) => forge(v, how, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forge(v, how, k)]));
  return value;
}

/** Every text of a report and its renderings that must be in the analyzer's own words. */
function ownWords(report: RcaReport): string[] {
  const findings = [report.rootCause, ...report.contributing, ...report.symptoms, ...report.dismissed];
  const slack = renderSlack(report);
  const card = chatbotNotification(report);
  const header = slack.blocks.find((b) => b.type === 'header');
  return [
    ...findings.flatMap((f) => [f.title, ...f.remediation]),
    headline(report),
    snsSubject(report),
    card.content.title,
    ...card.content.nextSteps,
    card.metadata.summary,
    header?.type === 'header' ? header.text.text : '',
    slack.text,
  ];
}

const cases = files.map((file) => [file.slice(file.lastIndexOf('/') + 1), file] as const);

// Every rule's own matching cases (test/classification/rules/*.cases.ts), forged the same ways.
const rulesDir = join(__dirname, '../classification/rules');
const ruleCases = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.cases.ts'))
  .flatMap((f) => ((require(join(rulesDir, f)) as { cases: RuleCases }).cases.match as readonly CaseInput[]).map((c) => [f.replace(/\.cases\.ts$/, ''), c] as const));

describe('a forged notice in any log line', () => {
  it.each(Object.keys(FORGERIES))('forged %s in every rule case: no rule puts it in a title or a remediation step', (how) => {
    const leaked: string[] = [];
    for (const [id, input] of ruleCases) {
      const evidence = caseEvidence(forge(input, FORGERIES[how] as Forge) as CaseInput);
      for (const rule of RULES) {
        const result = rule.match(evidence);
        if (result.status !== 'match') continue;
        for (const f of result.findings) leaked.push(...[f.title, ...(f.remediation ?? [])].filter((t) => LEAKS.test(t)).map((t) => `${rule.id} (case of ${id}): ${t}`));
      }
    }
    expect(leaked).toEqual([]);
  });

  it.each(cases)('%s, forged every way: never in a title, a remediation step, a subject or a header; no control sequence in any format', (_name, file) => {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [how, forgery] of Object.entries(FORGERIES)) {
      const bundle = parseBundleText(JSON.stringify(forge(raw, forgery)), file);
      const report = analyzeEvidence(evidenceFromBundle(bundle), { now: new Date('2026-01-01T00:00:00Z') });
      expect({ how, leaked: ownWords(report).filter((text) => LEAKS.test(text)) }).toEqual({ how, leaked: [] });
      for (const format of RENDER_FORMATS) expect({ how, format, controls: render(report, format).match(CONTROLS) }).toEqual({ how, format, controls: null });
    }
  });
});
