import { CATEGORY_IDS } from '../../../lambda/classification/taxonomy';
import { escapeMrkdwn, renderSlack, type SlackBlock } from '../../../lambda/report/renderers/slack';
import { RcaReportSchema, type EvidenceItem, type Finding, type RcaReport } from '../../../lambda/report/report-schema';
import { sampleFinding, sampleReport } from '../../helpers/report';
import { blockKitViolations } from '../../helpers/slack-server';

const mrkdwnTexts = (blocks: SlackBlock[]): string[] =>
  blocks.flatMap((b) => {
    if (b.type === 'section') return [b.text.text, ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });

describe('renderSlack', () => {
  it('leads with the verdict, then the fix, evidence, other findings and console links', () => {
    const message = renderSlack(sampleReport());
    expect(blockKitViolations(message)).toEqual([]);
    const [header, verdict, fix, evidence, roles, links] = message.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', emoji: true, text: ':red_circle: web: the program cannot load a module, package, class or dependency (app_import_error)' } });
    expect(verdict?.type === 'section' && verdict.text.text).toMatch(/^\*Root cause:\* Python cannot import module 'app.handlers'\nThe container's Python process/);
    expect(verdict?.type === 'section' && verdict.fields?.map((f) => f.text)).toEqual([
      '*Severity*\nHIGH',
      '*Service*\nweb',
      '*Cluster*\napp-prod',
      '*Category*\n`app_import_error`',
      '*Confidence*\n92%',
      '*Trigger*\nECS Task State Change',
    ]);
    expect(fix?.type === 'section' && fix.text.text).toBe(
      '*How to fix*\n1. Add an `__init__.py` to the `app/handlers` folder, or install the package so it is importable.\n2. Rebuild the image and run `python -c "import app.handlers"` in it before deploying.',
    );
    expect(evidence?.type === 'section' && evidence.text.text).toBe("*Evidence*\n```\nlog (app): ModuleNotFoundError: No module named 'app.handlers'\nexitCode (app): 1\n```");
    expect(roles?.type === 'context' && roles.elements.map((e) => e.text.split('\n')[0])).toEqual(['*Contributing*', '*Symptoms*', '*Ruled out*', '*Evidence gaps*']);
    expect(roles?.type === 'context' && roles.elements[2]?.text).toContain('(ruled out: The image was pulled and the program started after that message.)');
    const linkText = links?.type === 'section' ? links.text.text : '';
    expect(linkText).toMatch(/^\*Console:\* <https:\/\/us-east-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/app-prod\/tasks\/[^|]+\|Task>/);
    for (const label of ['Service', 'Log stream', 'Target group']) expect(linkText).toContain(`|${label}>`);
    // The notification preview: the analyzer's own words only (the title and the fix may quote a log).
    expect(message.text).toBe('HIGH web: the program cannot load a module, package, class or dependency (app_import_error)');
  });

  it('escapes &, < and > so report text cannot mention @channel or forge links', () => {
    const title = '<!channel> <https://evil.example|click> a & b > c';
    const message = renderSlack(sampleReport({ rootCause: sampleFinding({ title, evidence: [{ source: 'log', text: title }] }) }));
    expect(blockKitViolations(message)).toEqual([]);
    const all = [message.text, ...mrkdwnTexts(message.blocks)].join('\n');
    expect(all).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt; a &amp; b &gt; c');
    expect(all).not.toContain('<!channel>');
    expect(escapeMrkdwn('&<>')).toBe('&amp;&lt;&gt;');
  });

  it('keeps console links whole: drops non-http, too long or whitespace URLs and encodes |', () => {
    const links = { task: 'javascript:alert(1)', service: `https://example.com/${'a'.repeat(3000)}`, logStreams: ['https://example.com/a|b&c=1', 'https://example.com/x y'], targetGroup: undefined };
    const message = renderSlack(sampleReport({ links }));
    const section = message.blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Console:*'));
    expect(section?.type === 'section' && section.text.text).toBe('*Console:* <https://example.com/a%7Cb&amp;c=1|Log stream 1>');
    expect(blockKitViolations(message)).toEqual([]);
  });

  it('omits empty parts without leaving empty blocks', () => {
    const message = renderSlack(
      sampleReport({ rootCause: sampleFinding({ remediation: [], evidence: [], explanation: '' }), contributing: [], symptoms: [], dismissed: [], evidenceGaps: [], links: {} }),
    );
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'divider', 'context']);
  });
});

// --- property test: any report renders within Block Kit limits -------------------------------------

function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % 4294967296) % Math.max(1, n);
  };
}

const PIECES = [
  'word', ' ', '\n', '\t', '```', '`````', '`', '*bold*', '_it_', '<', '>', '&', '&amp;', '<!here>', '<@U123>', '|', 'é', '日本語', '😀', '👩‍👩‍👧',
  'ü', '\u0301', '\u202e', '\u0000', '\u001b[31m', '\r\n', 'https://example.com/?a=1&b=<2>', '"', "'", '\\', '::', ':fire:',
];

/** Mostly short odd strings; now and then empty, one huge run, or a long mix (unless `short`). */
function oddText(random: (n: number) => number, short = false): string {
  const mode = short ? 3 : random(20);
  if (mode === 0) return '';
  if (mode === 1) return PIECES[random(PIECES.length)]!.repeat(1 + random(2000));
  const length = mode === 2 ? random(2000) : random(30);
  return Array.from({ length }, () => PIECES[random(PIECES.length)]).join('');
}

function oddFinding(random: (n: number) => number, short = false): Finding {
  const text = (): string => oddText(random, short);
  const evidence: EvidenceItem[] = Array.from({ length: random(4) === 0 ? random(40) : random(4) }, () => ({
    source: 'log',
    text: text(),
    ...(random(2) ? { containerName: text() } : {}),
  }));
  return {
    category: CATEGORY_IDS[random(CATEGORY_IDS.length)]!,
    ruleId: text(),
    title: text(),
    explanation: text(),
    confidence: random(101) / 100,
    evidence,
    remediation: Array.from({ length: random(4) === 0 ? random(30) : random(4) }, text),
    ...(random(2) ? { reason: text() } : {}),
    ...(random(2) ? { taskCount: random(500) } : {}),
  };
}

function oddReport(seed: number): RcaReport {
  const random = generator(seed);
  // Either a few findings with any text, or many (up to 80) with short text.
  const findings = (): Finding[] =>
    random(3) === 0 ? Array.from({ length: random(80) }, () => oddFinding(random, true)) : Array.from({ length: random(4) }, () => oddFinding(random));
  const url = (): string => (random(3) === 0 ? `https://console.example/${oddText(random)}` : `https://console.example/${'x'.repeat(random(4000))}`);
  const base = sampleReport();
  return {
    ...base,
    incidentKey: oddText(random),
    severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[random(5)]!,
    resource: { ...base.resource, serviceName: random(4) ? oddText(random) : undefined, clusterArn: random(2) ? `arn:aws:ecs:us-east-1:1:cluster/${oddText(random)}` : undefined },
    trigger: { ...base.trigger, detailType: oddText(random), eventId: oddText(random) },
    rootCause: oddFinding(random),
    contributing: findings(),
    symptoms: findings(),
    dismissed: findings(),
    evidenceGaps: Array.from({ length: random(60) }, () => oddText(random, true)),
    links: { task: url(), service: url(), logStreams: Array.from({ length: random(12) }, url), targetGroup: url() },
    analyzerVersion: oddText(random),
    ...(random(2) ? { ruleErrors: Array.from({ length: random(20) }, () => ({ ruleId: oddText(random, true), message: oddText(random) })) } : {}),
  };
}

describe('renderSlack on arbitrary reports (property test, seeded)', () => {
  it('always produces a payload within Block Kit limits', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const report = oddReport(seed);
      expect(RcaReportSchema.safeParse(report).success).toBe(true);
      const message = renderSlack(report);
      const violations = blockKitViolations(JSON.parse(JSON.stringify(message)));
      if (violations.length) throw new Error(`seed ${seed}: ${violations.join('; ')}`);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(message.text.length).toBeGreaterThan(0);
      // No half surrogate pair left by a cut.
      expect(JSON.stringify(message)).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
    }
  });
});

describe('renderSlack on forged log text', () => {
  const forged = 'AWS SECURITY NOTICE: credentials leaked, rotate at http://evil.example/rotate @channel @here <!channel> <!subteam^S1>';
  const message = renderSlack(
    sampleReport({ rootCause: sampleFinding({ title: `Program crashed: ${forged}`, remediation: [forged], evidence: [{ source: 'log', text: forged }] }) }),
  );

  it('builds the header and the notification preview from the analyzer\'s own words', () => {
    const header = message.blocks[0];
    expect(header?.type === 'header' && header.text.text).not.toMatch(/SECURITY|evil/);
    expect(message.text).not.toMatch(/SECURITY|evil/);
  });

  it('turns off unfurling and makes mentions inert wherever the text appears', () => {
    expect(message).toMatchObject({ unfurl_links: false, unfurl_media: false });
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!|@channel|@here/);
  });
});

