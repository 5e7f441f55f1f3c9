import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { toEre } from './ere';

/**
 * The pattern set grep is given: the regular expressions the rule catalogue runs over container log
 * lines, read from the rule sources (lambda/classification/rules/*.ts) and translated to POSIX ERE.
 *
 * A rule's scanning patterns are found where it hands them to the scanning helpers over log lines —
 * `findAll`, `findFirst` or `findInStreams` whose first argument names `lines`/`streams`
 * (`logLines(…)`, `logStreams(…)`, `streamLines(…)`) — or tests them itself on each element of a loop or array
 * callback over such lines (`for (const item of lines) GATE.exec(item.text)`). The constant is resolved to its regex literal, an array of literals, or the
 * literals a `new RegExp(…)` joins. Taken from the source, not from a hand-written list, so the
 * reference follows the catalogue as rules are added. Left out: patterns only run on stop reasons,
 * service events or target health; patterns only run on the few lines around a hit; and the shared
 * helpers of `log-patterns.ts` (severity, frames, listening and access-log lines), which rules run on
 * lines their own pattern already selected.
 */

/** One rule pattern and its ERE translation. */
export interface RulePattern {
  /** Rule file name, e.g. `python-traceback.ts`. */
  file: string;
  regex: RegExp;
  ere: string;
  approximations: string[];
}

const SCANNERS = new Set(['findAll', 'findFirst', 'findInStreams']);
const LINE_SOURCE = /\b(?:lines|streams|logLines|logStreams|streamLines)\b/;
const ITERATORS = new Set(['filter', 'some', 'find', 'every', 'map', 'forEach', 'flatMap']);

/** Whether `name` is the element variable of a loop or array callback over log lines enclosing `node`. */
function iteratesLines(node: ts.Node, name: string, sf: ts.SourceFile): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isForOfStatement(n) && LINE_SOURCE.test(n.expression.getText(sf)) && n.initializer.getText(sf).replace(/^const\s+/, '') === name) return true;
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parameters[0]?.name.getText(sf) === name) {
      const call = n.parent;
      return (
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        ITERATORS.has(call.expression.name.text) &&
        LINE_SOURCE.test(call.expression.expression.getText(sf))
      );
    }
  }
  return false;
}

function literalToRegExp(node: ts.Node, sf: ts.SourceFile, flags?: string): RegExp {
  const literal = node.getText(sf);
  const slash = literal.lastIndexOf('/');
  return new RegExp(literal.slice(1, slash), (flags ?? literal.slice(slash + 1)).replace(/[gy]/g, ''));
}

/** The regexes an expression stands for: a literal, a const bound to literals, or `new RegExp(…)` of them. */
function regexesOf(node: ts.Node, sf: ts.SourceFile, consts: Map<string, ts.Expression>, flags?: string, depth = 0): RegExp[] {
  if (depth > 5) return [];
  if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) return [literalToRegExp(node, sf, flags)];
  if (ts.isIdentifier(node)) {
    const init = consts.get(node.text);
    return init ? regexesOf(init, sf, consts, flags, depth + 1) : [];
  }
  if (ts.isNewExpression(node) && node.expression.getText(sf) === 'RegExp') {
    const flagArg = node.arguments?.[1];
    const outer = flagArg && ts.isStringLiteral(flagArg) ? flagArg.text : '';
    const found: RegExp[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && consts.has(n.text)) found.push(...regexesOf(n, sf, consts, outer, depth + 1));
      else ts.forEachChild(n, visit);
    };
    if (node.arguments?.[0]) visit(node.arguments[0]);
    return found;
  }
  const found: RegExp[] = [];
  ts.forEachChild(node, (child) => {
    found.push(...regexesOf(child, sf, consts, flags, depth + 1));
  });
  return found;
}

/** The regexes one rule source runs over log lines (see the module comment). */
export function scanningRegexes(text: string, fileName = 'rule.ts'): RegExp[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const consts = new Map<string, ts.Expression>();
  const used: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) consts.set(node.name.text, node.initializer);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const [first, second] = node.arguments;
      if (ts.isIdentifier(callee) && SCANNERS.has(callee.text) && first && second && LINE_SOURCE.test(first.getText(sf))) used.push(second);
      // `PATTERN.test(line.text)` inside a loop or callback over the log lines.
      if (
        ts.isPropertyAccessExpression(callee) &&
        (callee.name.text === 'test' || callee.name.text === 'exec') &&
        first &&
        ts.isPropertyAccessExpression(first) &&
        first.name.text === 'text' &&
        ts.isIdentifier(first.expression) &&
        iteratesLines(node, first.expression.text, sf)
      ) {
        used.push(callee.expression);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return used.flatMap((expression) => regexesOf(expression, sf, consts));
}

/** The scanning patterns of every rule in `rulesDir`, de-duplicated by source and flags. */
export function rulePatterns(rulesDir: string): RulePattern[] {
  const seen = new Set<string>();
  const patterns: RulePattern[] = [];
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
    for (const regex of scanningRegexes(readFileSync(join(rulesDir, file), 'utf8'), file)) {
      const key = `${regex.source}/${regex.flags}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { ere, approximations } = toEre(regex);
      patterns.push({ file, regex, ere, approximations });
    }
  }
  return patterns;
}
