import type { TailStore } from './bundle-stream';

const MiB = 1024 * 1024;

/**
 * A circular byte buffer: bytes are appended at an ever-growing position and overwrite the oldest
 * once `capacity` more have been written. Its memory is blocks of `blockBytes`, allocated when first
 * written and reused after, so a ring never holds more than it was asked to and leaves no garbage.
 * A caller that keeps no more than `capacity` bytes live (written and still to be read) never has
 * them overwritten.
 */
export class ByteRing implements TailStore {
  /** Bytes the ring holds (a whole number of blocks, at least the capacity asked for). */
  readonly capacity: number;
  private readonly blocks: (Buffer | undefined)[];
  /** Position of the next byte written (bytes written so far). */
  private end = 0;

  /**
   * @param capacity bytes that must fit (rounded up to whole blocks).
   * @param blockBytes size of one block; smaller rings use one block of their own size.
   */
  constructor(
    capacity: number,
    private readonly blockBytes = Math.max(1, Math.min(MiB, capacity)),
  ) {
    const count = Math.max(1, Math.ceil(capacity / blockBytes));
    this.blocks = new Array<Buffer | undefined>(count).fill(undefined);
    this.capacity = count * blockBytes;
  }

  /** Appends `parts` in order and returns the position of their first byte (for `read`). */
  write(parts: readonly Buffer[]): number {
    const at = this.end;
    for (const part of parts) {
      let done = 0;
      while (done < part.length) {
        const { block, offset } = this.place(this.end);
        const n = part.copy(block, offset, done, Math.min(part.length, done + this.blockBytes - offset));
        done += n;
        this.end += n;
      }
    }
    return at;
  }

  /**
   * The `length` bytes written at position `at`: a view of the ring when they sit in one block (valid
   * until they are overwritten), a copy otherwise.
   *
   * @throws RangeError when some of them were overwritten or never written.
   */
  read(at: number, length: number): Buffer {
    if (at < this.end - this.capacity || at + length > this.end) throw new RangeError(`ByteRing: bytes ${at}..${at + length} are not held`);
    const parts: Buffer[] = [];
    for (let done = 0; done < length; ) {
      const { block, offset } = this.place(at + done);
      const n = Math.min(length - done, this.blockBytes - offset);
      parts.push(block.subarray(offset, offset + n));
      done += n;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
  }

  /** The block and offset of a position, the block allocated on first use. */
  private place(position: number): { block: Buffer; offset: number } {
    const index = Math.floor(position / this.blockBytes) % this.blocks.length;
    const block = (this.blocks[index] ??= Buffer.allocUnsafe(this.blockBytes));
    return { block, offset: position % this.blockBytes };
  }
}
