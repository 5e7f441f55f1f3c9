import type { Evidence } from '../evidence/types';
import type { Category } from './taxonomy';
import { matchText, type TextSource } from './evidence-text';
import { FATAL_FORMS, type FatalForm, type FatalKind } from './fatal-forms';
import { findInStreams, isLowSeverity, logStreams } from './log-patterns';

/** The line that ended a program, as the fatal-line reader found it in one log stream. */
export interface FatalLine {
  form: FatalForm;
  /** The fatal line, as read. */
  line: TextSource;
  /** Index in `line.text` where the fatal text starts. */
  index: number;
  /** The exception class (or kind of failure) the line names, when it names one. */
  exceptionClass?: string;
  /** Lines cited after the fatal one (the deepest `Caused by:`, Spring Boot's `Description:` text, the exit line). */
  related: TextSource[];
  /** The category the class or the words imply (see `categoryOfFatal`). */
  category: Category;
}

// Exception classes that name a category whatever the message says, then words of the line, then
// classes that only suggest one. Checked in order; the first match wins.
const STRONG_CLASSES: readonly [RegExp, Category][] = [
  [/OutOfMemory|MemoryError|NoMemoryError|bad_alloc/, 'oom_killed'],
  [/ModuleNotFound|ImportError|ClassNotFound|NoClassDefFound|^LoadError$|UnsatisfiedLinkError|DllNotFoundException/, 'app_import_error'],
];
const WORDS: readonly [RegExp, Category][] = [
  [/\bAllowed memory size of \d{1,20} bytes exhausted\b|\bout of memory\b|\bReached heap limit\b|\bfailed to allocate memory\b|\bCannot allocate memory\b/i, 'oom_killed'],
  [/\bCannot find (?:module|package)\b|\bNo module named\b|\bERR_MODULE_NOT_FOUND\b|\bcannot open shared object file\b|\binvalid ELF header\b|\bwrong ELF class\b|\bERR_DLOPEN_FAILED\b|\bNODE_MODULE_VERSION\b|: undefined symbol: /, 'app_import_error'],
  [/\bpassword authentication failed\b|\bAccess denied for user\b|\bLogin failed for user\b|\bAuthentication failed\b|\binvalid credentials\b|\bWRONGPASS\b|\bNOAUTH\b|\bbad auth\b|\bORA-01017\b|\bACCESS[_-]REFUSED\b/i, 'dependency_auth_failed'],
  [/\bEADDRINUSE\b|\baddress already in use\b|\bbind\(\) to \S{1,100} failed \(13: Permission denied\)|\bbind: permission denied\b/i, 'port_bind_failed'],
  [/\bPermission denied\b|\bEACCES\b|\bOperation not permitted\b|\bRead-only file system\b/i, 'permission_denied'],
  [/\bECONNREFUSED\b|\bConnection refused\b|\bETIMEDOUT\b|\bconnect(?:ion)? timed out\b|\bi\/o timeout\b|\bno such host\b|\bhost not found\b|\bName or service not known\b|\bENOTFOUND\b|\bcould not connect\b|\bcould not translate host name\b|\bTimed out after \d{1,9} ms while waiting\b|\bBroker may not be available\b|\bNo route to host\b|\bnetwork is unreachable\b/i, 'dependency_unreachable'],
  [/\bMissing `?secret_key_base\b|\bNo application encryption key\b|\bCould not resolve placeholder\b|\b(?:missing|no) (?:required )?(?:secret|api[ _-]?key|encryption key|master key|setting)\b|\bmust be set\b|\bis (?:required|not set)\b|\bconfig(?:uration)?\b|\byaml\b|\bunknown directive\b|\binvalid (?:value|key|option|parameter)\b|\benvironment variable\b|\bhas invalid keys\b|\bunknown \w{1,30} type\b/i, 'app_config_missing'],
];
const WEAK_CLASSES: readonly [RegExp, Category][] = [
  [/Auth(?:entication|orization)?(?:Error|Exception|Failed|Failure)|Credential|Login(?:Error|Exception|Failed)|Sasl|InvalidPassword|AccessRefused|ProbableAuthentication|Unauthori[sz]ed(?!Access)/, 'dependency_auth_failed'],
  [/Permission|UnauthorizedAccess|nio\.file\.AccessDenied/, 'permission_denied'],
  [/Connect(?:ion)?(?:Refused|Reset|Aborted|Closed)?(?:Error|Exception|Failure)|Timeout|TimedOut|ServerSelection|Unreachable|NoRouteToHost|UnknownHost|gaierror|ServiceUnavailable|BrokerNotAvailable|NoBrokersAvailable|SocketException/, 'dependency_unreachable'],
  [/Config(?:uration)?(?:Error|Exception)|ImproperlyConfigured|InvalidConfig|SettingsError|ValidationError/, 'app_config_missing'],
];

const firstMatch = (table: readonly [RegExp, Category][], text: string | undefined): Category | undefined =>
  text === undefined ? undefined : table.find(([pattern]) => pattern.test(text))?.[1];

/**
 * The category a fatal line implies: memory and import classes first, then what its words say
 * (import, authentication, port, permission, connection, configuration), then what its class suggests, else
 * the form's fallback (`app_crash` for most runtimes).
 */
export function categoryOfFatal(form: FatalForm, exceptionClass: string | undefined, words: string): Category {
  if (form.fixed) return form.fallback;
  return firstMatch(STRONG_CLASSES, exceptionClass) ?? firstMatch(WORDS, words) ?? firstMatch(WEAK_CLASSES, exceptionClass) ?? form.fallback;
}

const RANK: Readonly<Record<FatalKind, number>> = { cause: 3, generic: 2, exit: 1 };

interface Candidate {
  fatal: Omit<FatalLine, 'category'>;
  words: string;
  /** Position of the fatal line in its stream. */
  at: number;
}

function candidate(form: FatalForm, lines: readonly TextSource[], at: number, groups: (string | undefined)[], index: number): Candidate | undefined {
  const matched = lines[at] as TextSource;
  if (isLowSeverity(matched.text)) return undefined;
  const resolved = form.resolve ? form.resolve(lines, at) : {};
  if (!resolved) return undefined;
  const line = resolved.line ?? matched;
  const position = resolved.line ? lines.indexOf(resolved.line, at) : at;
  const named = form.classGroups?.map((g) => groups[g - 1]).find((g) => g !== undefined);
  const exceptionClass = resolved.exceptionClass ?? named ?? form.className;
  const related = resolved.related ?? [];
  const words = [resolved.message ?? line.text, ...related.map((r) => r.text)].join('\n');
  return { fatal: { form, line, index: resolved.line ? 0 : index, exceptionClass, related }, words, at: position };
}

/** Every candidate fatal line of one stream, in the order forms are listed. */
function candidatesIn(lines: readonly TextSource[]): Candidate[] {
  const found: Candidate[] = [];
  for (const form of FATAL_FORMS) {
    if (form.lastLineOnly) {
      const at = lines.length - 1;
      const m = at >= 0 ? matchText((lines[at] as TextSource).text, form.pattern) : undefined;
      const c = m ? candidate(form, lines, at, m.groups, m.index) : undefined;
      if (c) found.push(c);
      continue;
    }
    for (const hit of findInStreams([lines], form.pattern)) {
      const c = candidate(form, lines, hit.at, hit.groups, hit.index);
      if (c) found.push(c);
    }
  }
  return found;
}

/**
 * The line that ended the program, per log stream of the analysed task(s): the last `cause` line of a
 * stream, else its last `generic` line, else its last `exit` line (see `FatalKind`). An exit line that
 * follows the chosen line is cited with it. Streams of other tasks are not read. Pure.
 */
export function fatalLines(evidence: Evidence): FatalLine[] {
  const result: FatalLine[] = [];
  for (const lines of logStreams(evidence)) {
    if (lines[0]?.scope !== 'task') continue;
    const found = candidatesIn(lines);
    const best = found.reduce<Candidate | undefined>(
      (b, c) => (!b || RANK[c.fatal.form.kind] > RANK[b.fatal.form.kind] || (RANK[c.fatal.form.kind] === RANK[b.fatal.form.kind] && c.at > b.at) ? c : b),
      undefined,
    );
    if (!best) continue;
    const exit = found.filter((c) => c.fatal.form.kind === 'exit' && c.at > best.at).pop();
    const related = exit ? [...best.fatal.related, exit.fatal.line] : best.fatal.related;
    result.push({ ...best.fatal, related, category: categoryOfFatal(best.fatal.form, best.fatal.exceptionClass, best.words) });
  }
  return result;
}
