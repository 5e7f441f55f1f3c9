import { ByteRing } from '../../lambda/evidence/bundle/byte-ring';

describe('ByteRing', () => {
  it('gives back what was written, across block edges and around the ring', () => {
    const ring = new ByteRing(40, 16);
    expect(ring.capacity).toBe(48);
    const written: { at: number; text: string }[] = [];
    for (let n = 0; n < 60; n += 1) {
      const text = `item-${n}-${'x'.repeat(n % 9)}`;
      // Several parts per write, as a batch cut across chunks arrives.
      written.push({ at: ring.write([Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))]), text });
      // Everything written within the last `capacity` bytes is still there.
      let live = 0;
      for (let k = written.length - 1; k >= 0; k -= 1) {
        const { at, text: expected } = written[k]!;
        live += expected.length;
        if (live > ring.capacity) break;
        expect(ring.read(at, expected.length).toString()).toBe(expected);
      }
    }
  });

  it('refuses to read bytes already overwritten or not written yet', () => {
    const ring = new ByteRing(8, 4);
    const first = ring.write([Buffer.from('abcd')]);
    ring.write([Buffer.from('efghijkl')]);
    expect(() => ring.read(first, 4)).toThrow(RangeError);
    expect(() => ring.read(12, 1)).toThrow(RangeError);
    expect(ring.read(4, 8).toString()).toBe('efghijkl');
  });

  it('allocates blocks only as they are first written', () => {
    const ring = new ByteRing(64 * 1024 * 1024);
    ring.write([Buffer.from('small')]);
    expect(ring.capacity).toBe(64 * 1024 * 1024);
    // One 1 MiB block, not 64 MiB.
    expect((ring as unknown as { blocks: (Buffer | undefined)[] }).blocks.filter(Boolean)).toHaveLength(1);
  });
});
