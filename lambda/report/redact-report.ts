import { RedactionCounter } from '../shared/redaction';
import type { Changes, Finding, RcaReport } from './report-schema';
import { withoutControls } from '../shared/text';

/**
 * Masks the secrets in a report before any renderer or sink sees it. Every free text of the report
 * can quote what the analyzer read: evidence texts, finding titles, explanations, remediation steps
 * and dismissal reasons (rules build them from log lines), the task's stoppedReason, container reasons, evidence gaps and rule
 * error messages. Identifiers (ARNs, names, ids, links, times) are built by the analyzer and left alone.
 */

/** What the walkers below apply to every free text. */
type TextCleaner = Pick<RedactionCounter, 'text'>;

function redactFinding(finding: Finding, counter: TextCleaner): Finding {
  return {
    ...finding,
    title: counter.text(finding.title),
    explanation: counter.text(finding.explanation),
    evidence: finding.evidence.map((item) => ({ ...item, text: counter.text(item.text) })),
    remediation: finding.remediation.map((step) => counter.text(step)),
    ...(finding.reason !== undefined ? { reason: counter.text(finding.reason) } : {}),
  };
}

/** The free texts of the `changes` section: item summaries, deployment reasons, notes, the user agent. */
function redactChanges(changes: Changes, counter: TextCleaner): Changes {
  const ref = (r: Changes['baseline']) => (r.statusReason !== undefined ? { ...r, statusReason: counter.text(r.statusReason) } : r);
  return {
    ...changes,
    baseline: ref(changes.baseline),
    current: ref(changes.current),
    items: changes.items.map((i) => ({ ...i, summary: counter.text(i.summary) })),
    ...(changes.notes ? { notes: changes.notes.map((n) => counter.text(n)) } : {}),
    ...(changes.actor?.userAgent !== undefined ? { actor: { ...changes.actor, userAgent: counter.text(changes.actor.userAgent) } } : {}),
  };
}

/**
 * A copy of the report with every secret masked (see `redactText` in `../shared/redaction` for what
 * counts as one and the `[REDACTED:<kind>]` marker) and `redactions` set to the number of secrets
 * masked in this report (0 when none; one secret quoted in two fields counts twice; added to any count
 * the report already had). Terminal escape sequences, control characters and bidirectional overrides
 * are removed from every free text first (`withoutControls`), so no format — JSON included — carries
 * them; other texts without secrets are unchanged, so evidence stays a literal substring of what was
 * read. Pure.
 */
export function redactReport(report: RcaReport): RcaReport {
  const secrets = new RedactionCounter();
  // Control sequences go first (an escape code inside a key would hide it from the rules).
  const counter: TextCleaner = { text: (text) => secrets.text(withoutControls(text)) };
  const redacted: RcaReport = {
    ...report,
    resource: {
      ...report.resource,
      ...(report.resource.stoppedReason !== undefined ? { stoppedReason: counter.text(report.resource.stoppedReason) } : {}),
      containers: report.resource.containers.map((c) => (c.reason !== undefined ? { ...c, reason: counter.text(c.reason) } : c)),
    },
    rootCause: redactFinding(report.rootCause, counter),
    contributing: report.contributing.map((f) => redactFinding(f, counter)),
    symptoms: report.symptoms.map((f) => redactFinding(f, counter)),
    dismissed: report.dismissed.map((f) => redactFinding(f, counter)),
    evidenceGaps: report.evidenceGaps.map((gap) => counter.text(gap)),
    ...(report.changes ? { changes: redactChanges(report.changes, counter) } : {}),
    ...(report.ruleErrors ? { ruleErrors: report.ruleErrors.map((e) => ({ ...e, message: counter.text(e.message) })) } : {}),
  };
  // A report redacted before (its texts hold only markers now) keeps its count.
  return { ...redacted, redactions: (report.redactions ?? 0) + secrets.count };
}
