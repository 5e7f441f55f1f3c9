/**
 * Translates a JavaScript regular expression into a POSIX extended regular expression (GNU `grep -E`
 * syntax), so that grep can run the rule catalogue's own patterns.
 *
 * The translation never loses a match, it may only add some: for every line the JavaScript regex
 * matches, the ERE matches too (the benchmark checks this on its sample). Where ERE has no equivalent,
 * the construct is widened and the approximation is reported:
 * - lookahead/lookbehind assertions are dropped (they only ever reject matches);
 * - lazy quantifiers become greedy (same set of matching lines);
 * - `{n,m}` with `m` above {@link MAX_BOUND} becomes `{n,}` (GNU grep compiles large bounded repeats
 *   into that many DFA positions, which would measure grep's compiler, not its scan);
 * - the `i` flag becomes per-letter brackets (`[eE][rR]…`), since grep's `-i` would apply to all
 *   patterns at once;
 * - a class holding a negated shorthand (`[\S…]`) becomes `.`;
 * - a Unicode property escape (`\p{L}`, `\p{Lu}`, `\p{Ll}`, `\p{N}`, with the `u` flag) becomes its
 *   ASCII members or any non-ASCII character (`[^\x01-\x7F]`, written with the raw bytes): ERE has no
 *   Unicode properties, and grep's `[:alpha:]` follows the locale while ripgrep's is ASCII-only, so the
 *   two tools would count different lines. A negated one (`\P{…}`, `[^\p{…}]`) or another property
 *   becomes `.`.
 */

/** Bounded repeats above this become unbounded. */
export const MAX_BOUND = 32;

/** An ERE and the approximations its translation made. */
export interface EreTranslation {
  ere: string;
  approximations: string[];
}

const ERE_SPECIAL = new Set(['.', '[', ']', '(', ')', '*', '+', '?', '{', '}', '|', '^', '$', '\\']);
const SPACE = '[:space:]';
const WORD = '[:alnum:]_';
const DIGIT = '0-9';

const isLetter = (c: string): boolean => c.toLowerCase() !== c.toUpperCase();

/** Any character outside ASCII (and NUL, which log lines do not hold), as a bracket expression. */
export const NON_ASCII = '[^\u0001-\u007f]';

/**
 * The ASCII ranges of the Unicode properties the rules use (https://tc39.es/ecma262/#sec-runtime-semantics-unicodematchproperty-p);
 * their other members are all outside ASCII.
 */
const PROPERTY_ASCII: Record<string, [string, string][]> = {
  L: [['A', 'Z'], ['a', 'z']],
  Letter: [['A', 'Z'], ['a', 'z']],
  Alphabetic: [['A', 'Z'], ['a', 'z']],
  Lu: [['A', 'Z']],
  Uppercase_Letter: [['A', 'Z']],
  Ll: [['a', 'z']],
  Lowercase_Letter: [['a', 'z']],
  N: [['0', '9']],
  Number: [['0', '9']],
  Nd: [['0', '9']],
  Decimal_Number: [['0', '9']],
};

/** A `\p{…}` / `\P{…}` escape at `at` (the `p` or `P`): its name, whether negated, and its length. */
function propertyEscape(source: string, at: number): { name: string; negated: boolean; length: number } | undefined {
  const m = /^([pP])\{([A-Za-z_=]+)\}/.exec(source.slice(at));
  return m ? { name: m[2] as string, negated: m[1] === 'P', length: m[0].length } : undefined;
}

/** A literal character outside brackets. */
function literal(c: string, ignoreCase: boolean): string {
  if (ignoreCase && isLetter(c) && c.toLowerCase().length === 1 && c.toUpperCase().length === 1) {
    return `[${c.toLowerCase()}${c.toUpperCase()}]`;
  }
  return ERE_SPECIAL.has(c) ? `\\${c}` : c;
}

/** The character a `\x` escape stands for (after the backslash), with how many source chars it used. */
function escapedChar(source: string, at: number): { char: string; length: number } | undefined {
  const c = source[at];
  if (c === undefined) return undefined;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
  if (simple[c] !== undefined) return { char: simple[c], length: 1 };
  if (c === 'x') return { char: String.fromCharCode(parseInt(source.slice(at + 1, at + 3), 16)), length: 3 };
  if (c === 'u' && source[at + 1] === '{') {
    const end = source.indexOf('}', at);
    return { char: String.fromCodePoint(parseInt(source.slice(at + 2, end), 16)), length: end - at + 1 };
  }
  if (c === 'u') return { char: String.fromCharCode(parseInt(source.slice(at + 1, at + 5), 16)), length: 5 };
  if (/[A-Za-z]/.test(c)) return undefined; // a class escape (\d, \w, \s, \b, …)
  return { char: c, length: 1 };
}

interface ClassParse {
  ere: string;
  end: number;
}

/** Parses `[...]` starting at `start` (the `[`), returning its ERE bracket expression. */
function parseClass(source: string, start: number, ignoreCase: boolean, notes: string[]): ClassParse {
  let i = start + 1;
  const negated = source[i] === '^';
  if (negated) i += 1;
  const chars = new Set<string>();
  const ranges: [string, string][] = [];
  const named = new Set<string>();
  let anyChar = false;
  let nonAscii = false;
  // In JavaScript a `]` right after `[` or `[^` closes the class.
  while (i < source.length && source[i] !== ']') {
    let c: string;
    if (source[i] === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'd') named.add(DIGIT);
      else if (e === 'w') named.add(WORD);
      else if (e === 's') named.add(SPACE);
      else if (e === 'D' || e === 'W' || e === 'S') anyChar = true;
      if ('dwsDWS'.includes(e)) {
        i += 2;
        continue;
      }
      const property = propertyEscape(source, i + 1);
      if (property) {
        const ascii = PROPERTY_ASCII[property.name];
        // In a negated class a property's non-ASCII part cannot be excluded: widened below.
        if (!ascii || property.negated || negated) anyChar = true;
        else (ranges.push(...ascii), (nonAscii = true));
        i += 1 + property.length;
        continue;
      }
      const esc = escapedChar(source, i + 1);
      if (!esc) throw new Error(`unsupported escape \\${e} in class of /${source}/`);
      c = esc.char;
      i += 1 + esc.length;
    } else {
      c = source[i] as string;
      i += 1;
    }
    // A range `a-z` (a `-` before `]` is literal).
    if (source[i] === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
      let hi: string;
      if (source[i + 1] === '\\') {
        const esc = escapedChar(source, i + 2);
        if (!esc) throw new Error(`unsupported range end in /${source}/`);
        hi = esc.char;
        i += 2 + esc.length;
      } else {
        hi = source[i + 1] as string;
        i += 2;
      }
      ranges.push([c, hi]);
      continue;
    }
    chars.add(c);
  }
  const end = i; // the closing `]`
  if (anyChar) {
    notes.push(`class ${source.slice(start, end + 1)} with a negated shorthand or property widened to .`);
    return { ere: '.', end };
  }
  if (ignoreCase) {
    for (const c of [...chars]) if (isLetter(c)) (chars.add(c.toLowerCase()), chars.add(c.toUpperCase()));
    for (const [lo, hi] of [...ranges]) {
      const a = Math.max(lo.charCodeAt(0), 97);
      const z = Math.min(hi.charCodeAt(0), 122);
      if (a <= z) ranges.push([String.fromCharCode(a - 32), String.fromCharCode(z - 32)]);
      const A = Math.max(lo.charCodeAt(0), 65);
      const Z = Math.min(hi.charCodeAt(0), 90);
      if (A <= Z) ranges.push([String.fromCharCode(A + 32), String.fromCharCode(Z + 32)]);
    }
  }
  chars.delete('\n');
  chars.delete('\r');
  // ERE bracket rules: `]` first, `^` not first, `-` last; backslash is literal inside brackets.
  const hasBracket = chars.delete(']');
  const hasDash = chars.delete('-');
  const hasCaret = chars.delete('^');
  let body = [...named].join('');
  body += ranges.map(([lo, hi]) => `${lo}-${hi}`).join('');
  body += [...chars].join('');
  if (hasCaret) body += '^';
  if (hasBracket) body = `]${body}`;
  if (hasDash) body += '-';
  if (body === '' && !negated) return { ere: '(a^)', end }; // an empty class never matches
  if (body === '' && negated) return { ere: '.', end };
  if (body === '^' && !negated) return { ere: '\\^', end };
  const bracket = `[${negated ? '^' : ''}${body}]`;
  if (nonAscii) {
    notes.push(`class ${source.slice(start, end + 1)}: Unicode property as its ASCII members or any non-ASCII character`);
    return { ere: `(${bracket}|${NON_ASCII})`, end };
  }
  return { ere: bracket, end };
}

/** Index of the `)` closing the group opened at `start`. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === '[') {
      i += 1;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced group in /${source}/`);
}

/**
 * Translates one JavaScript regex into an ERE matching a superset of the lines it matches.
 *
 * @throws Error for a construct with no safe widening (a back-reference, an unknown escape).
 */
export function toEre(regex: RegExp): EreTranslation {
  const source = regex.source;
  const ignoreCase = regex.flags.includes('i');
  const notes: string[] = [];
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      const shorthand: Record<string, string> = {
        d: `[${DIGIT}]`,
        D: `[^${DIGIT}]`,
        w: `[${WORD}]`,
        W: `[^${WORD}]`,
        s: `[${SPACE}]`,
        S: `[^${SPACE}]`,
        b: '\\b',
        B: '\\B',
      };
      if (shorthand[e] !== undefined) {
        out += shorthand[e];
        i += 2;
        continue;
      }
      const property = propertyEscape(source, i + 1);
      if (property) {
        const ascii = PROPERTY_ASCII[property.name];
        if (!ascii || property.negated) {
          out += '.';
          notes.push(`\\${source.slice(i + 1, i + 1 + property.length)} widened to .`);
        } else {
          const cls = parseClass(`[\\${source.slice(i + 1, i + 1 + property.length)}]`, 0, ignoreCase, notes);
          out += cls.ere;
        }
        i += 1 + property.length;
        continue;
      }
      if (/[1-9]/.test(e)) throw new Error(`back-reference in /${source}/`);
      const esc = escapedChar(source, i + 1);
      if (!esc) throw new Error(`unsupported escape \\${e} in /${source}/`);
      out += esc.char === '\n' || esc.char === '\r' ? '(a^)' : literal(esc.char, ignoreCase);
      i += 1 + esc.length;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(source, i, ignoreCase, notes);
      out += cls.ere;
      i = cls.end + 1;
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?=', i) || source.startsWith('(?!', i) || source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
        const end = groupEnd(source, i);
        notes.push(`lookaround ${source.slice(i, end + 1)} dropped`);
        i = end + 1;
        continue;
      }
      if (source.startsWith('(?:', i)) {
        out += '(';
        i += 3;
        continue;
      }
      if (source.startsWith('(?<', i)) {
        out += '(';
        i = source.indexOf('>', i) + 1;
        continue;
      }
      out += '(';
      i += 1;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) {
        out += '\\{';
        i += 1;
        continue;
      }
      const low = m[1] as string;
      const high = m[3];
      if (m[2] && high !== undefined && high !== '' && Number(high) > MAX_BOUND) {
        out += `{${low},}`;
        notes.push(`{${low},${high}} widened to {${low},}`);
      } else out += m[0];
      i += m[0].length;
      if (source[i] === '?') i += 1; // lazy → greedy
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      out += c;
      i += 1;
      if (source[i] === '?') i += 1; // lazy → greedy
      continue;
    }
    if (c === '.' || c === '|' || c === '^' || c === '$' || c === ')') {
      out += c;
      i += 1;
      continue;
    }
    out += literal(c, ignoreCase);
    i += 1;
  }
  return { ere: out, approximations: notes };
}
