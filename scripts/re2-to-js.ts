/**
 * Converts a Go RE2 pattern (as gitleaks writes its rules) into a JavaScript RegExp source and flags
 * with the same meaning, or says why it cannot.
 *
 * What differs between the two syntaxes (https://github.com/google/re2/wiki/Syntax):
 * - Inline flags: RE2 allows `(?i)` anywhere (it holds to the end of the enclosing group) and
 *   `(?i:…)`, `(?-i:…)`, `(?s:…)` groups; JavaScript (Node 20/22) only has whole-pattern flags. A
 *   pattern that is case-insensitive throughout gets the `i` flag; one that mixes cases gets no flag
 *   and every letter of its case-insensitive parts is written as both cases (`a` → `[aA]`,
 *   `[a-z]` → `[a-zA-Z]`). `.` becomes `[^\n]`, or `[\s\S]` under `s`.
 * - `(?P<name>` → `(?<name>`; `\z` → `$` and `\A` → `^` (no `m` flag, so both anchor the whole text).
 * - Perl classes are ASCII in RE2: `\s` → `[\t\n\f\r ]` (JavaScript's `\s` also takes Unicode spaces);
 *   `\S` inside brackets stays JavaScript's, which leaves out Unicode spaces too (slightly narrower).
 * - POSIX classes inside brackets (`[[:alnum:]]`) become ranges.
 * Anything else RE2-only (`\C`, `\Q…\E`, `\pN`, `\x{…}`) is reported as unsupported.
 */

export type Conversion = { ok: true; source: string; flags: string } | { ok: false; reason: string };

interface Flags {
  i: boolean;
  s: boolean;
}

const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  xdigit: '0-9a-fA-F',
  space: '\\t\\n\\v\\f\\r ',
  word: '\\w',
};

const PERL_IN_CLASS: Record<string, string> = { s: '\\t\\n\\f\\r ' };
const PERL_OUTSIDE: Record<string, string> = { s: '[\\t\\n\\f\\r ]', S: '[^\\t\\n\\f\\r ]' };

const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const other = (c: string) => (isLower(c) ? c.toUpperCase() : c.toLowerCase());

class Unsupported extends Error {}

/** Reads one escape at `at` (a backslash); returns its text and the index after it. */
function readEscape(p: string, at: number): [string, number] {
  const c = p[at + 1];
  if (c === undefined) throw new Unsupported('trailing backslash');
  if (c === 'x') {
    if (p[at + 2] === '{') throw new Unsupported('\\x{…} escape');
    return [p.slice(at, at + 4), at + 4];
  }
  if ('CQEpP'.includes(c)) throw new Unsupported(`\\${c} escape`);
  return [p.slice(at, at + 2), at + 2];
}

/** Converts a bracket expression starting at `at` (`[`); returns its JS text and the index after it. */
function convertClass(p: string, at: number, fold: boolean): [string, number] {
  let i = at + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i += 1;
  }
  // A `]` right after `[` or `[^` is a literal in RE2.
  if (p[i] === ']') {
    out += '\\]';
    i += 1;
  }
  while (i < p.length && p[i] !== ']') {
    if (p.startsWith('[:', i)) {
      const end = p.indexOf(':]', i + 2);
      const name = end < 0 ? '' : p.slice(i + 2, end);
      const posix = POSIX[name];
      if (posix === undefined) throw new Unsupported(`POSIX class [:${name}:]`);
      out += posix;
      i = end + 2;
      continue;
    }
    let atom: string;
    let literal: string | undefined;
    if (p[i] === '\\') {
      [atom, i] = readEscape(p, i);
      const perl = PERL_IN_CLASS[atom[1] ?? ''];
      // `\S` stays JavaScript's (it also excludes Unicode spaces, which RE2's takes).
      if (perl) atom = perl;
    } else {
      atom = p[i] === '[' ? '\\[' : (p[i] ?? '');
      literal = p[i];
      i += 1;
    }
    // A range `x-y` (the `-` not last in the class).
    if (p[i] === '-' && p[i + 1] !== ']' && p[i + 1] !== undefined && literal !== undefined) {
      const hi = p[i + 1] === '\\' ? undefined : p[i + 1];
      if (hi === undefined) throw new Unsupported('range ending in an escape');
      out += `${atom}-${hi}`;
      if (fold) {
        if ((isLower(literal) && isLower(hi)) || (isUpper(literal) && isUpper(hi))) out += `${other(literal)}-${other(hi)}`;
        else if (!(hi < 'A' || literal > 'z' || (literal > 'Z' && hi < 'a'))) throw new Unsupported(`range ${literal}-${hi} across letter cases`);
      }
      i += 2;
      continue;
    }
    out += atom;
    if (fold && literal !== undefined && (isLower(literal) || isUpper(literal))) out += other(literal);
  }
  if (p[i] !== ']') throw new Unsupported('unterminated class');
  return [`${out}]`, i + 1];
}

/** Walks the pattern; `fold` writes both cases of letters under `i` (otherwise `i` becomes the flag). */
function walk(p: string, fold: boolean, seen: { insensitive: boolean; sensitive: boolean }): string {
  const stack: Flags[] = [];
  let flags: Flags = { i: false, s: false };
  let out = '';
  let i = 0;
  const note = (letter: boolean) => {
    if (!letter) return;
    if (flags.i) seen.insensitive = true;
    else seen.sensitive = true;
  };
  while (i < p.length) {
    const c = p[i] ?? '';
    if (c === '\\') {
      const [esc, next] = readEscape(p, i);
      i = next;
      const k = esc[1] ?? '';
      if (k === 'z') out += '$';
      else if (k === 'A') out += '^';
      else out += PERL_OUTSIDE[k] ?? esc;
      // An escaped letter that is a literal (none in practice) would need folding too.
      continue;
    }
    if (c === '[') {
      const [cls, next] = convertClass(p, i, fold && flags.i);
      note(/[a-zA-Z]/.test(p.slice(i, next).replace(/\\./g, '').replace(/\[:[a-z]+:\]/g, '')));
      out += cls;
      i = next;
      continue;
    }
    if (c === '(') {
      const flagGroup = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(p.slice(i, i + 12));
      if (p.startsWith('(?P<', i) || p.startsWith('(?<', i)) {
        const start = p.indexOf('<', i) + 1;
        const end = p.indexOf('>', start);
        out += `(?<${p.slice(start, end)}>`;
        stack.push(flags);
        i = end + 1;
        continue;
      }
      if (flagGroup && (flagGroup[1] !== '' || flagGroup[2] !== undefined)) {
        const next = { ...flags };
        for (const f of flagGroup[1] ?? '') {
          if (f === 'i') next.i = true;
          else if (f === 's') next.s = true;
          else throw new Unsupported(`inline flag ${f}`);
        }
        for (const f of flagGroup[2] ?? '') {
          if (f === 'i') next.i = false;
          else if (f === 's') next.s = false;
          else throw new Unsupported(`inline flag -${f}`);
        }
        if (flagGroup[3] === ')') flags = next;
        else {
          stack.push(flags);
          flags = next;
          out += '(?:';
        }
        i += flagGroup[0].length;
        continue;
      }
      stack.push(flags);
      if (p.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else {
        out += '(';
        i += 1;
      }
      continue;
    }
    if (c === ')') {
      flags = stack.pop() ?? flags;
      out += ')';
      i += 1;
      continue;
    }
    if (c === '.') {
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
      i += 1;
      continue;
    }
    const letter = isLower(c) || isUpper(c);
    note(letter);
    out += fold && flags.i && letter ? `[${c}${other(c)}]` : c;
    i += 1;
  }
  return out;
}

/** Converts an RE2 pattern; never throws. */
export function re2ToJs(pattern: string): Conversion {
  try {
    const seen = { insensitive: false, sensitive: false };
    const plain = walk(pattern, false, seen);
    const mixed = seen.insensitive && seen.sensitive;
    const source = mixed ? walk(pattern, true, { insensitive: false, sensitive: false }) : plain;
    const flags = seen.insensitive && !mixed ? 'i' : '';
    new RegExp(source, flags);
    return { ok: true, source, flags };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
