/**
 * Literal prefilters for regular expressions: which fixed strings every match of a pattern must
 * contain. A line that contains none of them cannot match, so a scan of many log lines can look for
 * the literals of all rules at once and run each rule's own regex only on the few lines that may match
 * (the technique of grep, ripgrep and Google Code Search: https://swtch.com/~rsc/regexp/regexp4.html).
 *
 * The analysis is conservative: when it cannot prove a set of literals, it returns undefined and the
 * caller must test every line. Literals are lowercased, to be searched case-insensitively (a superset
 * of both cased and `i` patterns).
 */

/** Literals shorter than this select too many lines to be worth a prefilter. */
export const MIN_LITERAL_LENGTH = 3;
/** Bound on the sets enumerated while combining pieces (keeps the analysis linear in the pattern). */
const MAX_SET = 32;
/** Bound on the length of an enumerated string. */
const MAX_LENGTH = 64;

/**
 * What is known about the strings a piece of a pattern matches: `exact`, every string it can match
 * (when few and short); `required`, a set one of whose members occurs in every match.
 */
interface Info {
  exact?: Set<string>;
  required?: Set<string>;
}

const EMPTY: Info = { exact: new Set(['']) };
const ANY: Info = {};

const minLength = (set: Set<string> | undefined): number => (set && set.size > 0 ? Math.min(...[...set].map((s) => s.length)) : 0);

/** The better of two required sets: the one whose shortest member is longer, then the smaller one. */
function better(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const la = minLength(a);
  const lb = minLength(b);
  if (la !== lb) return la > lb ? a : b;
  return a.size <= b.size ? a : b;
}

function product(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_SET) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) {
    if (x.length + y.length > MAX_LENGTH) return undefined;
    out.add(x + y);
  }
  return out;
}

/** The strictest required set an `Info` offers. */
const requiredOf = (info: Info): Set<string> | undefined => better(info.required, info.exact);

function concat(items: Info[]): Info {
  let run: Set<string> | undefined = new Set(['']);
  let required: Set<string> | undefined;
  let allExact = true;
  for (const item of items) {
    if (item.exact && run) {
      const joined = product(run, item.exact);
      if (joined) {
        run = joined;
        continue;
      }
    }
    // The run of exact pieces ends here: it is one candidate, the piece itself another.
    if (run) required = better(required, run);
    allExact = false;
    required = better(required, requiredOf(item));
    run = item.exact ? new Set(item.exact) : undefined;
  }
  if (allExact && run) return { exact: run };
  if (run) required = better(required, run);
  return required && minLength(required) > 0 ? { required } : ANY;
}

function alternate(branches: Info[]): Info {
  if (branches.every((b) => b.exact)) {
    const union = new Set<string>();
    for (const b of branches) for (const s of b.exact ?? []) union.add(s);
    if (union.size <= MAX_SET) return { exact: union };
  }
  const union = new Set<string>();
  for (const b of branches) {
    const r = requiredOf(b);
    if (!r || minLength(r) === 0) return ANY;
    for (const s of r) union.add(s);
  }
  return { required: union };
}

function repeat(item: Info, min: number, max: number): Info {
  if (min === 0) {
    if (max === 1 && item.exact && item.exact.size < MAX_SET) return { exact: new Set(['', ...item.exact]) };
    return ANY; // may match nothing or many things: no literal is required
  }
  if (min === 1 && max === 1) return item;
  const required = requiredOf(item);
  if (item.exact && min === max && min <= 4) {
    let run: Set<string> | undefined = new Set(['']);
    for (let i = 0; i < min && run; i += 1) run = product(run, item.exact);
    if (run) return { exact: run };
  }
  // A repeated piece occurs at least once; if it is exact, its repetition is no longer enumerable.
  return required && minLength(required) > 0 ? { required } : ANY;
}

/** A tiny recursive-descent reader of JavaScript regex syntax, just enough to find literals. */
class Reader {
  private i = 0;

  constructor(private readonly source: string) {}

  /** A literal character, lowercased: literals are searched case-insensitively whatever the flags. */
  private char(c: string): Info {
    const lower = c.toLowerCase();
    // Characters whose lowercase is not one character (e.g. U+0130) would not be found again: no literal.
    return lower.length === 1 ? { exact: new Set([lower]) } : ANY;
  }

  parse(): Info {
    const info = this.alternation();
    if (this.i < this.source.length) throw new Error(`unexpected ${this.source[this.i]}`);
    return info;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.source[this.i] === '|') {
      this.i += 1;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] as Info) : alternate(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.i < this.source.length && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      items.push(this.quantified());
    }
    return concat(items);
  }

  private quantified(): Info {
    const atom = this.atom();
    const c = this.source[this.i];
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.i));
      if (m) {
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
        this.i += m[0].length - 1;
      } else return atom; // a literal `{`, read by atom() next time
    } else return atom;
    this.i += 1;
    if (this.source[this.i] === '?') this.i += 1; // lazy: same strings
    return repeat(atom, min, max);
  }

  private atom(): Info {
    const c = this.source[this.i] as string;
    if (c === '(') return this.group();
    if (c === '[') return this.characterClass();
    if (c === '\\') return this.escape();
    this.i += 1;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return ANY;
    return this.char(c);
  }

  private group(): Info {
    const rest = this.source.slice(this.i);
    const lookaround = /^\(\?(?:=|!|<=|<!)/.exec(rest);
    if (lookaround) {
      this.i += lookaround[0].length;
      this.alternation();
      this.expect(')');
      return EMPTY; // consumes nothing
    }
    const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(rest);
    this.i += named ? named[0].length : rest.startsWith('(?:') ? 3 : 1;
    const inner = this.alternation();
    this.expect(')');
    return inner;
  }

  private expect(c: string): void {
    if (this.source[this.i] !== c) throw new Error(`expected ${c}`);
    this.i += 1;
  }

  /** A class is exact when it is a few characters that are the same letter in two cases (`[Ee]`) or few symbols. */
  private characterClass(): Info {
    this.i += 1;
    const negated = this.source[this.i] === '^';
    if (negated) this.i += 1;
    const chars = new Set<string>();
    let enumerable = !negated;
    // In JavaScript a `]` right after `[` or `[^` closes the class (`[]` matches nothing, `[^]` anything).
    while (this.i < this.source.length && this.source[this.i] !== ']') {
      let c = this.source[this.i] as string;
      if (c === '\\') {
        const e = this.source[this.i + 1] ?? '';
        const simple = this.simpleEscape(e);
        if (simple === undefined) {
          enumerable = false;
          this.skipEscape();
          continue;
        }
        c = simple;
        this.skipEscape();
      } else this.i += 1;
      if (this.source[this.i] === '-' && this.source[this.i + 1] !== ']' && this.i + 1 < this.source.length) {
        enumerable = false; // a range
        this.i += 1;
        if (this.source[this.i] === '\\') this.skipEscape();
        else this.i += 1;
        continue;
      }
      chars.add(c.toLowerCase());
    }
    this.expect(']');
    return enumerable && chars.size > 0 && chars.size <= 4 ? { exact: chars } : ANY;
  }

  /** The character a single-character escape stands for, or undefined for class escapes and the like. */
  private simpleEscape(e: string): string | undefined {
    if (/^[dDwWsSbBpPkcux0-9]$/.test(e)) {
      if (e === 'x') {
        const hex = this.source.slice(this.i + 2, this.i + 4);
        return /^[0-9a-fA-F]{2}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : undefined;
      }
      if (e === 'u') {
        const hex = this.source.slice(this.i + 2, this.i + 6);
        return /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : undefined;
      }
      return undefined;
    }
    const controls: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    return controls[e] ?? e;
  }

  private skipEscape(): void {
    const e = this.source[this.i + 1] ?? '';
    if (e === 'x') this.i += 4;
    else if (e === 'u' && this.source[this.i + 2] === '{') this.i = this.source.indexOf('}', this.i) + 1;
    else if (e === 'u') this.i += 6;
    else if ((e === 'p' || e === 'P' || e === 'k') && /^[{<]/.test(this.source[this.i + 2] ?? '')) {
      this.i = this.source.indexOf(e === 'k' ? '>' : '}', this.i) + 1;
    } else if (e === 'c') this.i += 3;
    else this.i += 2;
  }

  private escape(): Info {
    const e = this.source[this.i + 1] ?? '';
    if (e === 'b' || e === 'B') {
      this.i += 2;
      return EMPTY;
    }
    if (/^[1-9]$/.test(e) || e === 'k') {
      this.skipEscape();
      while (/^\d$/.test(this.source[this.i] ?? '')) this.i += 1;
      return ANY; // a back-reference
    }
    const simple = this.simpleEscape(e);
    this.skipEscape();
    return simple === undefined ? ANY : this.char(simple);
  }
}

const cache = new WeakMap<RegExp, readonly string[] | null>();

/**
 * Lowercased strings one of which occurs (compared case-insensitively, after `normaliseText`) in
 * every match of `pattern`; undefined when no such set with members of at least
 * {@link MIN_LITERAL_LENGTH} characters can be proved. Cached per pattern object.
 */
export function requiredLiterals(pattern: RegExp): readonly string[] | undefined {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  let literals: readonly string[] | null = null;
  try {
    const info = new Reader(pattern.source).parse();
    const required = requiredOf(info);
    if (required && minLength(required) >= MIN_LITERAL_LENGTH) literals = [...required];
  } catch {
    literals = null; // syntax this reader does not know: no prefilter, every line is tested
  }
  cache.set(pattern, literals);
  return literals ?? undefined;
}
