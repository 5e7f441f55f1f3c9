/**
 * The only words read from a log that a finding's title or remediation step may name: single tokens
 * of a known shape (an exception class, an identifier such as a module, setting or user name, a path
 * or host, a port). A title is a headline people act on; a log author must not be able to write it
 * ("AWS SECURITY NOTICE: credentials leaked, rotate at http://…"). A token cannot hold a space, a
 * link, markup or a control character, so it cannot form a sentence, a mention (`@channel`,
 * `<!here>`) or a Slack link (`<http://x|click>`); a value of any other shape is left out and the rule
 * says what it found in its own words. What the log said is quoted only in the evidence.
 *
 * Every pattern is linear (one character class per run).
 */

const MAX_TOKEN_CHARS = 120;

// Dotted, `::`, `$` or `+`-joined identifiers: `ValueError`, `java.lang.IllegalStateException`,
// `Foo::Bar`, `Outer$Inner`, `System.IO.FileNotFoundException`, `std::runtime_error`.
const CLASS_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*(?:(?:\.|::|\+)[\p{L}_$][\p{L}\p{N}_$]*)*$/u;
// Names, paths, hosts (IPv6 too) and package specifiers: letters, digits and `_ $ . : / @ + - [ ]`, no space.
const NAME = /^[\p{L}\p{N}_$@./:[][\p{L}\p{N}_$@.:/+\-[\]]*$/u;
// A URI scheme (`http:`, `javascript:`, `file:`) at the start of a token, or `//` anywhere.
const LINK = /^[a-z][a-z0-9+.-]*:(?![:\d])|\/\//i;
// Slack's and chat tools' broadcast words, which a name alone could otherwise be.
const MENTION = /^@(?:channel|here|everyone)$/i;

/** `value` when it is an exception or class name (identifier-shaped, at most 120 characters), else undefined. */
export function className(value: string | undefined): string | undefined {
  return value !== undefined && value.length <= MAX_TOKEN_CHARS && CLASS_NAME.test(value) ? value : undefined;
}

/**
 * `value` when it is one name-shaped token — an identifier, module specifier, setting, user, path or
 * host (letters, digits and `_ $ . : / @ + - [ ]`; at most 120 characters; no URI scheme, no `//`, not a
 * broadcast mention) — else undefined.
 */
export function nameToken(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0 || value.length > MAX_TOKEN_CHARS) return undefined;
  return NAME.test(value) && !LINK.test(value) && !MENTION.test(value) ? value : undefined;
}
