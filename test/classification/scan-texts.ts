import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * Texts for the prefilter tests: every string written in the rule tests (the messages each rule must
 * and must not match) and every log message, reason and service event of the corpus bundles, each
 * also upper-cased, lower-cased and with curly quotes — so every rule pattern meets lines it matches.
 */

const RULE_TESTS = join(__dirname, 'rules');
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

function stringsOf(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    if (ts.isTemplateExpression(node)) out.push(node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join(''));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function corpusTexts(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as {
      event: { detail?: { stoppedReason?: string; containers?: { reason?: string }[] } };
      evidence?: { logs?: { events?: { message?: string }[] }[]; services?: { events?: { message?: string }[] }[] };
    };
    out.push(bundle.event.detail?.stoppedReason ?? '', ...(bundle.event.detail?.containers ?? []).map((c) => c.reason ?? ''));
    for (const s of bundle.evidence?.logs ?? []) for (const e of s.events ?? []) out.push(e.message ?? '');
    for (const s of bundle.evidence?.services ?? []) for (const e of s.events ?? []) out.push(e.message ?? '');
  }
  return out;
}

const curly = (text: string): string => text.replace(/'/g, '\u2019').replace(/"/g, '\u201D');

/** The texts, de-duplicated, non-empty, with their case and quote variants. */
export function scanTexts(): string[] {
  const base = [...readdirSync(RULE_TESTS).filter((f) => f.endsWith('.test.ts')).flatMap((f) => stringsOf(join(RULE_TESTS, f))), ...corpusTexts()];
  const all = new Set<string>();
  for (const text of base) {
    if (text.trim() === '') continue;
    for (const variant of [text, text.toUpperCase(), text.toLowerCase(), curly(text)]) all.add(variant);
  }
  return [...all];
}
