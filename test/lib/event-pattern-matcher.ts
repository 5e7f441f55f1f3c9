/**
 * A small EventBridge event-pattern matcher for tests, so the rule patterns of the synthesised
 * template can be checked against recorded events without calling `TestEventPattern`.
 *
 * No maintained npm package implements EventBridge matching (AWS's own engine, Event Ruler, is
 * Java: https://github.com/aws/event-ruler), so this implements the subset the stack uses, with the
 * semantics AWS documents
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html):
 *
 * - every field named in the pattern must match (AND); the values listed for a field are
 *   alternatives (OR); `$or` (an array of at least two objects) matches if any branch does;
 * - a field is a leaf when its pattern is an array; a leaf of the event that is an array matches
 *   if any element matches (so `anything-but` holds if any element differs);
 * - a field missing from the event fails every matcher but `{ "exists": false }`, and an object
 *   where a leaf is expected counts as missing ("exists matching only works on leaf nodes");
 * - objects inside event arrays are matched element by element: a nested pattern must be
 *   satisfied within one element (Event Ruler's array-consistent matching);
 * - `{ "exists": false }` inside an array of objects holds only when NO element has the field.
 *   Event Ruler flattens field names across array elements before checking absence; where that
 *   reading differs from a per-element one, it is the stricter for patterns that must match.
 *
 * Supported matchers: exact string / number / boolean / null, `prefix` (plain or
 * `equals-ignore-case`), `suffix`, `equals-ignore-case`, `wildcard` (`*` matches any run of characters,
 * `\\*` a literal star; case-sensitive), `anything-but` (value, list, `prefix`, `suffix`), `numeric`, `exists`. Anything else throws, so a pattern using an operator this
 * matcher does not know cannot pass by accident.
 */

/** Thrown for a pattern this matcher cannot evaluate (malformed, or an unsupported operator). */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

type Primitive = null | boolean | number | string;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [value];
  return value.flatMap((v) => flatten(v));
}

/** Leaf values of `key` in the given objects: primitives only (objects are not leaves). */
function leafValues(objects: readonly unknown[], key: string): Primitive[] {
  return objects
    .flatMap((o) => (isObject(o) ? flatten(o[key]) : []))
    .filter((v): v is Primitive => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function matchString(op: string, spec: unknown, value: Primitive): boolean {
  if (typeof value !== 'string') return false;
  if (typeof spec === 'string') {
    if (op === 'prefix') return value.startsWith(spec);
    if (op === 'suffix') return value.endsWith(spec);
    if (op === 'equals-ignore-case') return value.toLowerCase() === spec.toLowerCase();
  }
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string' && Object.keys(spec).length === 1) {
    const s = spec['equals-ignore-case'].toLowerCase();
    const v = value.toLowerCase();
    if (op === 'prefix') return v.startsWith(s);
    if (op === 'suffix') return v.endsWith(s);
  }
  throw new UnsupportedPatternError(`unsupported ${op} matcher ${JSON.stringify(spec)}`);
}

/** `wildcard`: the whole string must match, `*` standing for any run of characters (`\\*` a literal star). */
function matchWildcard(spec: unknown, value: Primitive): boolean {
  if (typeof spec !== 'string') throw new UnsupportedPatternError(`malformed wildcard matcher ${JSON.stringify(spec)}`);
  if (typeof value !== 'string') return false;
  const parts = spec.split(/(?<!\\)\*/).map((part) => part.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`).test(value);
}

function matchNumeric(spec: unknown, value: Primitive): boolean {
  if (!Array.isArray(spec) || spec.length % 2 !== 0 || spec.length === 0) {
    throw new UnsupportedPatternError(`malformed numeric matcher ${JSON.stringify(spec)}`);
  }
  if (typeof value !== 'number') return false;
  for (let i = 0; i < spec.length; i += 2) {
    const [op, bound] = [spec[i], spec[i + 1]];
    if (typeof bound !== 'number') throw new UnsupportedPatternError(`numeric bound ${JSON.stringify(bound)} is not a number`);
    const ok =
      op === '<' ? value < bound
      : op === '<=' ? value <= bound
      : op === '=' ? value === bound
      : op === '>=' ? value >= bound
      : op === '>' ? value > bound
      : undefined;
    if (ok === undefined) throw new UnsupportedPatternError(`unknown numeric operator ${JSON.stringify(op)}`);
    if (!ok) return false;
  }
  return true;
}

function matchAnythingBut(spec: unknown, value: Primitive): boolean {
  if (isObject(spec)) {
    const [op, inner] = Object.entries(spec)[0] ?? [];
    if (Object.keys(spec).length !== 1 || (op !== 'prefix' && op !== 'suffix' && op !== 'equals-ignore-case')) {
      throw new UnsupportedPatternError(`unsupported anything-but matcher ${JSON.stringify(spec)}`);
    }
    if (typeof value !== 'string') return false;
    return !matchString(op, inner, value);
  }
  const excluded = Array.isArray(spec) ? spec : [spec];
  if (excluded.some((e) => e !== null && typeof e === 'object')) {
    throw new UnsupportedPatternError(`unsupported anything-but list ${JSON.stringify(spec)}`);
  }
  return !excluded.includes(value);
}

/** Whether one (non-`exists`) matcher accepts one event value. */
function matchValue(matcher: unknown, value: Primitive): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  if (Array.isArray(matcher)) throw new UnsupportedPatternError(`nested array in a leaf: ${JSON.stringify(matcher)}`);
  const keys = Object.keys(matcher);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined) throw new UnsupportedPatternError(`matcher must have one operator: ${JSON.stringify(matcher)}`);
  const spec = (matcher as Record<string, unknown>)[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      return matchString(op, spec, value);
    case 'anything-but':
      return matchAnythingBut(spec, value);
    case 'numeric':
      return matchNumeric(spec, value);
    case 'wildcard':
      return matchWildcard(spec, value);
    default:
      throw new UnsupportedPatternError(`unsupported operator "${op}"`);
  }
}

function matchLeaf(matchers: unknown[], values: Primitive[], absenceValues: Primitive[]): boolean {
  if (matchers.length === 0) throw new UnsupportedPatternError('empty matcher list');
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) {
      if (typeof m.exists !== 'boolean' || Object.keys(m).length !== 1) {
        throw new UnsupportedPatternError(`malformed exists matcher ${JSON.stringify(m)}`);
      }
      return m.exists ? values.length > 0 : absenceValues.length === 0;
    }
    return values.some((v) => matchValue(m, v));
  });
}

/**
 * @param node the object (or array element) positive matchers look in.
 * @param siblings every object at this level across array elements, where absence is checked.
 */
function matchObject(pattern: Record<string, unknown>, node: unknown, siblings: readonly unknown[]): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2 || !sub.every(isObject)) {
        throw new UnsupportedPatternError('$or must be an array of at least two objects');
      }
      if (!sub.some((branch) => matchObject(branch, node, siblings))) return false;
      continue;
    }
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, leafValues([node], key), leafValues(siblings, key))) return false;
      continue;
    }
    if (!isObject(sub)) throw new UnsupportedPatternError(`pattern value of "${key}" must be an array or an object`);
    const children = flatten(isObject(node) ? node[key] : undefined).filter(isObject);
    const childSiblings = siblings.flatMap((s) => flatten(isObject(s) ? s[key] : undefined)).filter(isObject);
    const candidates: unknown[] = children.length > 0 ? children : [undefined];
    if (!candidates.some((child) => matchObject(sub, child, childSiblings))) return false;
  }
  return true;
}

/**
 * Whether `event` matches the EventBridge `pattern`.
 *
 * @throws UnsupportedPatternError when the pattern is malformed or uses an unsupported operator.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new UnsupportedPatternError('an event pattern must be a JSON object');
  return matchObject(pattern, event, [event]);
}
