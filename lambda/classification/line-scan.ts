import type { TextSource } from './evidence-text';
import { requiredLiterals } from './required-literals';

/**
 * One combined scan of the log lines for every rule's pattern.
 *
 * Each rule looks for its own regexes in the same log lines. Run rule by rule, that is one regex
 * execution per rule per line — 60 passes over a large log. Instead, each rule declares the patterns
 * it runs over log lines (`Rule.logPatterns`), the fixed strings every match of each pattern must contain are derived
 * (`required-literals.ts`), and one Aho-Corasick automaton over all of them reads every line once,
 * case-insensitively and with curly quotes read as straight ones (as `normaliseText` does). A rule's
 * regex then runs only on the lines that hold one of its literals — the technique of grep and
 * ripgrep (https://swtch.com/~rsc/regexp/regexp4.html). Results are unchanged: a line without any of
 * a pattern's required literals cannot match it.
 *
 * The literals and the automaton depend on the declared patterns alone (`ScanPlan`, compiled once per
 * rule catalogue); a `LineScan` belongs to one analysis (`scan-context.ts`): it scans the shared line lists of that
 * analysis (`logLines`, `logStreams`, …) that hold at least `MIN_SCAN_CHARS` characters; any other
 * list is read line by line. A registered array (and the first and last line of it, so that copies
 * such as `[...stopTexts(e), ...logLines(e)]` are recognised) carries a hidden mark pointing at its
 * scan, so `findAll` needs no argument beyond the lines, and nothing is kept outside the analysis.
 */

/** A declared or ad-hoc pattern and, once needed, its prefilter literals (null: every line must be tested). */
interface Entry {
  pattern: RegExp;
  literals?: readonly string[] | null;
}

/**
 * The entry's literals, derived at first use (off the Lambda's cold-start path, and only when a list
 * is large enough to be scanned). Stateful (`g`/`y`) patterns must see every line, and `iu`/`iv`
 * patterns fold case in ways the automaton does not model (e.g. U+017F matches `s`): no prefilter for them.
 */
function literalsOf(entry: Entry): readonly string[] | null {
  if (entry.literals === undefined) {
    const p = entry.pattern;
    const unsafe = p.global || p.sticky || (p.ignoreCase && (p.unicode || p.flags.includes('v')));
    entry.literals = (unsafe ? undefined : requiredLiterals(p)) ?? null;
  }
  return entry.literals;
}

/**
 * An Aho-Corasick automaton over case-folded character classes, as dense transition tables. A table
 * entry is the next state, plus `reporting` when that state reports entries: the scan tells those by
 * one comparison, without a second table load per character.
 */
interface Automaton {
  /** Class of each UTF-16 code unit (0: a character in no key). */
  classOf: Uint8Array;
  /** log2 of the row width of `next`. */
  shift: number;
  /** `next[(state << shift) | class]`; 16-bit when the states fit, which halves the table the scan walks. */
  next: Uint16Array | Int32Array;
  /** The same, indexed by the character itself for ASCII (`(state << 7) | code`): no class lookup. */
  ascii: Uint16Array | Int32Array;
  /** Added to a table entry whose state reports entries. */
  reporting: number;
  /** Entry ids (indices into the list the automaton was built for) each reporting state reports. */
  outputs: (readonly number[] | undefined)[];
}

/** Code units `normaliseText` reads as a straight apostrophe or quote. */
const CURLY_QUOTES: Readonly<Record<number, number>> = { 0x2018: 0x27, 0x2019: 0x27, 0x201b: 0x27, 0x2032: 0x27, 0x201c: 0x22, 0x201d: 0x22, 0x201f: 0x22, 0x2033: 0x22 };

/**
 * Class of every UTF-16 code unit: that of the literal character a pattern may match it as, or 0.
 * ASCII letters fold to lowercase (a non-unicode `i` pattern matches an ASCII letter only in its two
 * cases); curly quotes read as straight ones. Only a non-ASCII literal character needs the scan of all
 * code units for those of the same case.
 */
function classTable(classByChar: ReadonlyMap<number, number>): Uint8Array {
  const classOf = new Uint8Array(65536);
  for (let code = 0; code < 128; code += 1) {
    classOf[code] = classByChar.get(code >= 0x41 && code <= 0x5a ? code + 0x20 : code) ?? 0;
  }
  for (const [code, straight] of Object.entries(CURLY_QUOTES)) classOf[Number(code)] = classByChar.get(straight) ?? 0;
  const wide = [...classByChar].filter(([c]) => c >= 128);
  if (wide.length > 0) {
    for (let code = 128; code < 65536; code += 1) {
      const ch = String.fromCharCode(code);
      for (const [c, cls] of wide) {
        const literal = String.fromCharCode(c);
        if (code === c || ch.toLowerCase() === literal || ch.toUpperCase() === literal.toUpperCase()) classOf[code] = cls;
      }
    }
  }
  return classOf;
}

/** Longest literal prefix the automaton looks for: a prefix of a required literal is required too. */
const MAX_KEY_LENGTH = 20;

/**
 * The strings the automaton looks for on behalf of one entry: its literals cut to
 * {@link MAX_KEY_LENGTH}, without those that contain another (finding the shorter one is enough).
 * Fewer, shorter keys make a smaller automaton, built faster at the first analysis of a process.
 */
function scanKeys(literals: readonly string[]): string[] {
  const cut = [...new Set(literals.map((l) => l.slice(0, MAX_KEY_LENGTH)))].sort((a, b) => a.length - b.length);
  const keys: string[] = [];
  for (const key of cut) if (!keys.some((shorter) => key.includes(shorter))) keys.push(key);
  return keys;
}

function buildAutomaton(list: readonly Entry[]): Automaton {
  const keysOf = list.map((entry) => scanKeys(literalsOf(entry) ?? []));
  // Keys are lowercase and already have straight quotes: number their characters.
  const classByChar = new Map<number, number>();
  let capacity = 1;
  for (const keys of keysOf) {
    for (const key of keys) {
      capacity += key.length;
      for (let i = 0; i < key.length; i += 1) {
        const c = key.charCodeAt(i);
        if (!classByChar.has(c)) classByChar.set(c, classByChar.size + 1);
      }
    }
  }
  if (classByChar.size > 254) throw new Error('too many distinct literal characters for one automaton');
  const classOf = classTable(classByChar);
  let shift = 1;
  while (1 << shift < classByChar.size + 1) shift += 1;
  const width = 1 << shift;

  // The trie in one table (-1: no edge yet), then breadth-first: failure links turn it into the full
  // transition table, and each state inherits the outputs of its failure state.
  const trie = new Int32Array(capacity << shift).fill(-1);
  const own: (number[] | undefined)[] = [];
  let states = 1;
  keysOf.forEach((keys, id) => {
    for (const key of keys) {
      let state = 0;
      for (let i = 0; i < key.length; i += 1) {
        const at = (state << shift) | (classOf[key.charCodeAt(i)] as number);
        if ((trie[at] as number) < 0) trie[at] = states++;
        state = trie[at] as number;
      }
      (own[state] ??= []).push(id);
    }
  });
  const fail = new Int32Array(states);
  const outputs: (number[] | undefined)[] = new Array<number[] | undefined>(states);
  const queue = new Int32Array(states);
  let tail = 0;
  for (let cls = 0; cls < width; cls += 1) {
    const child = trie[cls] as number;
    if (child < 0) trie[cls] = 0;
    else queue[tail++] = child; // fail[child] = 0
  }
  for (let head = 0; head < tail; head += 1) {
    const state = queue[head] as number;
    const failState = fail[state] as number;
    const inherited = outputs[failState];
    const mine = own[state];
    outputs[state] = mine && inherited ? [...new Set([...mine, ...inherited])] : (mine ?? inherited);
    const base = state << shift;
    const failBase = failState << shift;
    for (let cls = 0; cls < width; cls += 1) {
      const child = trie[base | cls] as number;
      if (child < 0) trie[base | cls] = trie[failBase | cls] as number;
      else {
        fail[child] = trie[failBase | cls] as number;
        queue[tail++] = child;
      }
    }
  }
  const narrow = states < 0x8000;
  const reporting = narrow ? 0x8000 : 1 << 30;
  const Table = narrow ? Uint16Array : Int32Array;
  const flagged = (state: number): number => (outputs[state] ? state + reporting : state);
  const next = new Table(states << shift);
  for (let i = 0; i < next.length; i += 1) next[i] = flagged(trie[i] as number);
  const ascii = new Table(states << 7);
  for (let state = 0; state < states; state += 1) {
    for (let code = 0; code < 128; code += 1) ascii[(state << 7) | code] = next[(state << shift) | (classOf[code] as number)] as number;
  }
  return { classOf, shift, next, ascii, reporting, outputs };
}

/** A shared list of lines and the candidate lines found in it so far, per pattern. */
interface LineList {
  scan: LineScan;
  lines: readonly TextSource[];
  /** Ascending indices into `lines` of the lines that hold one of the entry's literals. */
  candidates: Map<Entry, Int32Array>;
}

/** Scans `list` with `automaton`, built for `wanted`, and records each entry's candidate lines. */
function scan(list: LineList, wanted: readonly Entry[], automaton: Automaton): void {
  const { classOf, shift, next, ascii, reporting, outputs } = automaton;
  const found: number[][] = wanted.map(() => []);
  const lastLine = new Int32Array(wanted.length).fill(-1);
  const lines = list.lines;
  for (let index = 0; index < lines.length; index += 1) {
    const text = (lines[index] as TextSource).text;
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      state = (code < 128 ? ascii[(state << 7) | code] : next[(state << shift) | (classOf[code] as number)]) as number;
      if (state < reporting) continue;
      state -= reporting;
      for (const id of outputs[state] as readonly number[]) {
        if (lastLine[id] !== index) {
          lastLine[id] = index;
          (found[id] as number[]).push(index);
        }
      }
    }
  }
  wanted.forEach((entry, id) => list.candidates.set(entry, Int32Array.from(found[id] as number[])));
}

/**
 * Lists with fewer characters are read line by line: deriving the literals and building the
 * automaton (about 30 ms before the JIT warms up) costs more than running each pattern on a few
 * hundred lines (the Lambda's log budget keeps 200 lines / 64 KiB per stream).
 */
export const MIN_SCAN_CHARS = 64 * 1024;

/** Where a registered list sits: the list and the index in it of the first element. */
interface Placement {
  list: LineList;
  offset: number;
}

/** Placement of a registered array, and the lists a line object starts or ends (copies are found by them). */
const PLACEMENT = Symbol('line-scan placement');
const HEAD = Symbol('line-scan head');
const TAIL = Symbol('line-scan tail');

type Placed = readonly TextSource[] & { [PLACEMENT]?: Placement };
type Marked = TextSource & { [HEAD]?: LineList; [TAIL]?: LineList };

/** Attaches a hidden, non-enumerable mark (it never shows in JSON, `toEqual` or spreads). */
function mark<T extends object>(target: T, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
}

/**
 * What the combined scan looks for, compiled once from the patterns a rule catalogue declares
 * (`Rule.logPatterns`): their literals and one automaton over all of them. It depends on the patterns
 * alone, never on an analysis, so one plan serves every analysis by the same rules (see
 * `scan-context.ts`); the automaton is built at the first scan, off the Lambda's cold-start path.
 */
export class ScanPlan {
  private readonly byPattern = new Map<RegExp, Entry>();
  /** Declared entries that have literals, in the automaton's id order. */
  private readonly scanned: readonly Entry[];
  private automaton?: Automaton;

  constructor(patterns: Iterable<RegExp>) {
    for (const pattern of patterns) if (!this.byPattern.has(pattern)) this.byPattern.set(pattern, { pattern });
    this.scanned = [...this.byPattern.values()].filter((entry) => literalsOf(entry));
  }

  /** The declared patterns. */
  patterns(): RegExp[] {
    return [...this.byPattern.keys()];
  }

  /** The declared entry of `pattern`, if it is declared. */
  entryOf(pattern: RegExp): Entry | undefined {
    return this.byPattern.get(pattern);
  }

  /** Scans `list` once for every declared pattern that has literals. */
  scanAll(list: LineList): void {
    this.automaton ??= buildAutomaton([...this.scanned]);
    scan(list, this.scanned, this.automaton);
  }
}

/**
 * The combined scan of one analysis: the line lists it has registered, the candidate lines found in
 * them, and the patterns scanned without having been declared. Created per analysis (see
 * `scan-context.ts`) and dropped with it, so nothing needs a reset between analyses.
 */
export class LineScan {
  /** Entries of undeclared patterns scanned in this analysis. */
  private readonly adHoc = new Map<RegExp, Entry>();
  /** Sources of patterns scanned over registered lines without having been declared (bounded). */
  readonly undeclared = new Set<string>();

  constructor(private readonly plan: ScanPlan) {}

  /** The declared patterns (for tests). */
  declaredPatterns(): RegExp[] {
    return this.plan.patterns();
  }

  /**
   * Registers a list of lines rules will scan many times (the shared lines of one analysis), when it
   * holds at least `MIN_SCAN_CHARS` characters. Slices of it are registered with `registerSlice`.
   */
  register(lines: readonly TextSource[]): void {
    if ((lines as Placed)[PLACEMENT] || lines.length === 0) return;
    let chars = 0;
    for (let i = 0; i < lines.length && chars < MIN_SCAN_CHARS; i += 1) chars += (lines[i] as TextSource).text.length;
    if (chars < MIN_SCAN_CHARS) return; // small: testing each line costs less than building the automaton
    const list: LineList = { scan: this, lines, candidates: new Map() };
    mark(lines, PLACEMENT, { list, offset: 0 });
    mark(lines[0] as TextSource, HEAD, list);
    mark(lines[lines.length - 1] as TextSource, TAIL, list);
  }

  /** Candidate line indices of `pattern` in a list of this scan, or undefined when every line must be tested. */
  candidatesIn(list: LineList, pattern: RegExp): Int32Array | undefined {
    const declared = this.plan.entryOf(pattern);
    let entry = declared ?? this.adHoc.get(pattern);
    if (!entry) {
      entry = { pattern };
      this.adHoc.set(pattern, entry);
    }
    if (!literalsOf(entry)) return undefined;
    const known = list.candidates.get(entry);
    if (known) return known;
    if (declared) {
      this.plan.scanAll(list); // first use on this list: every declared pattern, in one pass
    } else {
      if (this.undeclared.size < 100) this.undeclared.add(String(pattern));
      scan(list, [entry], buildAutomaton([entry]));
    }
    return list.candidates.get(entry);
  }
}

/** Registers `slice` as the elements `offset…` of the registered list `of` (no-op when `of` is not registered). */
export function registerSlice(slice: readonly TextSource[], of: readonly TextSource[], offset: number): void {
  const placement = (of as Placed)[PLACEMENT];
  if (placement && !(slice as Placed)[PLACEMENT]) mark(slice, PLACEMENT, { list: placement.list, offset: placement.offset + offset });
}

function sameRun(sources: readonly TextSource[], start: number, lines: readonly TextSource[]): boolean {
  if (start < 0 || start + lines.length > sources.length) return false;
  for (let i = 0; i < lines.length; i += 1) if (sources[start + i] !== lines[i]) return false;
  return true;
}

/** The run of `sources` that is a registered list: `sources[start … start+length)` = `list.lines[offset …]`. */
interface Run {
  list: LineList;
  start: number;
  length: number;
  offset: number;
}

/** Finds a registered list in `sources`: the array itself, or a copy of one at its start or end (`[...a, ...lines]`, `.flat()`). */
function locate(sources: readonly TextSource[]): Run | undefined {
  const placement = (sources as Placed)[PLACEMENT];
  if (placement) return { list: placement.list, start: 0, length: sources.length, offset: placement.offset };
  const head = (sources[0] as Marked | undefined)?.[HEAD];
  if (head && sameRun(sources, 0, head.lines)) return { list: head, start: 0, length: head.lines.length, offset: 0 };
  const tail = (sources[sources.length - 1] as Marked | undefined)?.[TAIL];
  if (tail && sameRun(sources, sources.length - tail.lines.length, tail.lines)) {
    return { list: tail, start: sources.length - tail.lines.length, length: tail.lines.length, offset: 0 };
  }
  return undefined;
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `visit(item, index)` in order for every element of `sources` on which `pattern` may match,
 * until `visit` returns true. Elements that belong to a registered list are skipped when they hold
 * none of the pattern's required literals; all others are visited.
 */
export function eachCandidate(sources: readonly TextSource[], pattern: RegExp, visit: (item: TextSource, index: number) => boolean): void {
  const run = sources.length > 0 ? locate(sources) : undefined;
  const candidates = run ? run.list.scan.candidatesIn(run.list, pattern) : undefined;
  if (!run || !candidates) {
    for (let i = 0; i < sources.length; i += 1) if (visit(sources[i] as TextSource, i)) return;
    return;
  }
  for (let i = 0; i < run.start; i += 1) if (visit(sources[i] as TextSource, i)) return;
  const end = run.offset + run.length;
  for (let k = lowerBound(candidates, run.offset); k < candidates.length; k += 1) {
    const at = candidates[k] as number;
    if (at >= end) break;
    const i = run.start + at - run.offset;
    if (visit(sources[i] as TextSource, i)) return;
  }
  for (let i = run.start + run.length; i < sources.length; i += 1) if (visit(sources[i] as TextSource, i)) return;
}
