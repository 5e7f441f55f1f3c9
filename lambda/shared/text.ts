/**
 * Text helpers for everything the analyzer quotes from hostile input (log lines, event fields, file
 * contents) before it reaches a person: making it printable, putting it on one line, making it
 * well-formed UTF-16 and cutting it without splitting a character.
 *
 * Every pattern here is linear-time (single character classes, no nested or adjacent unbounded
 * quantifiers over the same characters); `test/classification/regex-linearity.test.ts` checks them with
 * the rest of the code base's patterns.
 */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and other two-byte escape sequences: log lines often
// carry colour codes, and a hostile log line could otherwise retitle or clear the user's terminal.
// Each part is bounded, so a long run of `ESC [` or `ESC ]` without a terminator stays linear.
const ESCAPE_SEQUENCES = /\u001b\[[0-?]{0,64}[ -/]{0,16}[@-~]|\u001b\][^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)|\u001b[@-_]/g;
// Remaining C0 controls except tab and line feed, DEL, the C1 controls, and every Unicode bidirectional
// formatting character, which can make a line display differently from what it says: the explicit
// embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the implicit marks ALM
// (U+061C), LRM (U+200E) and RLM (U+200F), per UAX #9 Table 1
// (https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters).
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Read text without terminal escape sequences, control characters (tab and line feed are kept) or
 * bidirectional overrides, with CRLF and lone CR turned into LF. What every report keeps of a quoted
 * text, whatever its format (JSON included): printable text is unchanged, so evidence stays a literal
 * part of what was read.
 */
export function withoutControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

/** Makes read text safe to print: `withoutControls`, and tabs become two spaces. */
export function printable(text: string): string {
  return withoutControls(text).replace(/\t/g, '  ');
}

/**
 * `printable` text on one line: every run of white space, line breaks included, becomes one space,
 * and the ends are trimmed. Linear in the length of the text (a single `\s+` class per run).
 */
export function oneLine(text: string): string {
  return printable(text).replace(/\s+/g, ' ').trim();
}

/** Whether `text` is well-formed UTF-16 (no lone surrogate). */
export function isWellFormed(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !LONE_SURROGATE.test(text);
}

/**
 * `text` with every lone surrogate replaced by U+FFFD (what `String.prototype.toWellFormed` does), so
 * `encodeURIComponent` (console links, the SNS query protocol) and UTF-8 encoders never fail on it.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * The longest prefix of `text` of at most `max` UTF-16 code units that does not end inside a
 * surrogate pair (the prefix never holds half a character, so it stays well-formed).
 */
export function prefixCodeUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * `text` cut to at most `max` UTF-16 code units, including `mark` (default `…`) when it was cut; never
 * splits a surrogate pair. The one truncation helper of the analyzer: every cut of quoted text goes
 * through it (or `prefixUtf8` for byte budgets).
 */
export function cutText(text: string, max: number, mark = '…'): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const kept = mark.length < max ? mark : '';
  return prefixCodeUnits(text, max - kept.length) + kept;
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, cut on a character boundary. */
export function prefixUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > maxBytes) break;
    used += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * `text` with every regular-expression syntax character escaped, so a pattern built from it
 * matches it literally (without the `u` flag, where `\-` and `\/` are plain identity escapes).
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
