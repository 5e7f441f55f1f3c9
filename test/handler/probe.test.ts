import { loadCorpus, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { startHandlerWorld, type HandlerWorld } from './harness';
const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
let world: HandlerWorld;
beforeAll(async () => { world = await startHandlerWorld(); });
afterAll(async () => { await world.close(); });
function deep(n: number): unknown { let v: unknown = 'x'; for (let i = 0; i < n; i++) v = { a: v }; return v; }
const ev = () => JSON.parse(JSON.stringify(bundle.event));
it('probe', async () => {
  const cases: Record<string, unknown> = {};
  { const e = ev(); e.detail.extra = deep(20000); cases.deep = e; }
  { const e = ev(); e.detail.taskArn = 12; cases.taskArnNum = e; }
  { const e = ev(); e.time = 1e20; cases.time = e; }
  { const e = ev(); e.detail.clusterArn = e.detail.clusterArn + '\ud800'; cases.surrClu = e; }
  { const e = ev(); e.detail.group = 'service:\udc00web'; cases.surrGroup = e; }
  { const e = ev(); e.detail.startedAt = 1e20; cases.startedAt = e; }
  { const e = ev(); e.detail.stoppedReason = 'x'.repeat(300000) + '\n'.repeat(5); cases.huge = e; }
  const out: string[] = [];
  for (const [k, e] of Object.entries(cases)) {
    resetMocks(); serveBundle(bundle); world.resetDeliveryMocks();
    const inv = await world.invoke(e);
    out.push(`${k}: ${inv.error ? 'THROW ' + String(inv.error).slice(0, 200) : JSON.stringify(inv.result).slice(0, 200)} ${inv.elapsedMs}ms`);
  }
  require('fs').writeFileSync('/tmp/hi-probe.txt', out.join('\n'));
}, 120000);
