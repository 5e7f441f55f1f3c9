import { BadInputError } from '../../shared/errors';

/**
 * The first bytes of a pipe or of standard input, checked before the rest is read: the CLI never
 * waits on a stream that cannot be an incident bundle.
 */

/** Bytes of a pipe or standard input checked before the rest is read (see `checkJsonStart`). */
export const JSON_START_BYTES = 64 * 1024;

/**
 * Fails fast on a stream that cannot be a bundle, before reading more of it (a pipe from `/dev/zero`
 * or `/dev/urandom` never ends): after an optional UTF-8 byte-order mark and white space, a bundle
 * starts with `{`, and JSON text holds no control byte other than tab, line feed and carriage return
 * (https://www.rfc-editor.org/rfc/rfc8259#section-2, #section-7). Checks the first
 * `JSON_START_BYTES` of `bytes` (the first bytes read).
 *
 * @throws BadInputError `<where>: not valid JSON (…)`, one line.
 */
export function checkJsonStart(bytes: Buffer, where: string): void {
  const end = Math.min(bytes.length, JSON_START_BYTES);
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  if (i < end && bytes[i] !== OPEN_BRACE) {
    const b = bytes[i] as number;
    const shown = b > 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).padStart(2, '0')}`;
    throw new BadInputError(`${where}: not valid JSON (it starts with ${shown}; an incident-bundle.v1 is a JSON object)`);
  }
  for (let k = i; k < end; k += 1) {
    const b = bytes[k] as number;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) throw new BadInputError(`${where}: not valid JSON (control byte 0x${b.toString(16).padStart(2, '0')} at byte ${k}; not text)`);
  }
}

const OPEN_BRACE = 0x7b;

/** The chunks of a pipe, the first `JSON_START_BYTES` checked by `checkJsonStart` before any is passed on. */
export async function* checkedStart(chunks: AsyncIterable<Buffer>, where: string): AsyncGenerator<Buffer> {
  let start: Buffer[] = [];
  let startBytes = 0;
  for await (const chunk of chunks) {
    if (startBytes >= JSON_START_BYTES) {
      yield chunk;
      continue;
    }
    start.push(Buffer.from(chunk));
    startBytes += chunk.length;
    if (startBytes < JSON_START_BYTES) continue;
    const head = Buffer.concat(start);
    start = [];
    checkJsonStart(head, where);
    yield head;
  }
  if (start.length > 0) {
    const head = Buffer.concat(start);
    checkJsonStart(head, where);
    yield head;
  }
}

