import { cutText, escapeRegExp, isWellFormed, oneLine, prefixCodeUnits, prefixUtf8, printable, wellFormed } from '../../lambda/shared/text';

/** A deterministic PRNG (LCG), so the generated cases are the same on every run. */
function prng(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const ALPHABET = ['a', 'é', '€', '😀', '日', '\n', '👩‍👩‍👧', '\u0301'];

describe('prefixUtf8', () => {
  it('never splits a multi-byte character', () => {
    expect(prefixUtf8('aé€😀', 1)).toBe('a');
    expect(prefixUtf8('aé€😀', 2)).toBe('a');
    expect(prefixUtf8('aé€😀', 3)).toBe('aé');
    expect(prefixUtf8('aé€😀', 9)).toBe('aé€');
    expect(prefixUtf8('aé€😀', 10)).toBe('aé€😀');
  });

  it('never exceeds the byte limit and keeps a literal prefix', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i += 1) {
      const text = Array.from({ length: random(60) }, () => ALPHABET[random(ALPHABET.length)]).join('');
      const limit = random(120);
      const cut = prefixUtf8(text, limit);
      expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(limit);
      expect(text.startsWith(cut)).toBe(true);
      expect(Math.min(limit, Buffer.byteLength(text, 'utf8')) - Buffer.byteLength(cut, 'utf8')).toBeLessThan(4);
    }
  });
});

describe('cutText and prefixCodeUnits', () => {
  it('never leaves half a surrogate pair, whatever the cut', () => {
    const random = prng(11);
    for (let i = 0; i < 2000; i += 1) {
      const text = Array.from({ length: random(40) }, () => ALPHABET[random(ALPHABET.length)]).join('');
      const max = random(50);
      const cut = cutText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(isWellFormed(cut)).toBe(true);
      // The encoders that failed on half an emoji (SNS query protocol, console links) accept it.
      expect(() => encodeURIComponent(cut)).not.toThrow();
      expect(isWellFormed(prefixCodeUnits(text, max))).toBe(true);
    }
  });

  it('marks a cut and leaves short text alone', () => {
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutText('abcdef', 4, '...')).toBe('a...');
    expect(cutText('abc', 4)).toBe('abc');
    expect(cutText('ab😀', 4)).toBe('ab😀');
    expect(cutText('ab😀cd', 4)).toBe('ab…');
    expect(cutText('abc', 0)).toBe('');
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
    expect(isWellFormed('a😀')).toBe(true);
    expect(isWellFormed('a\ud83d')).toBe(false);
    expect(() => encodeURIComponent(wellFormed('x\ud83d'))).not.toThrow();
  });
});

describe('oneLine and printable', () => {
  it('puts text on one line and drops control sequences', () => {
    expect(oneLine('a \r\n  b\t\tc\n')).toBe('a b c');
    expect(oneLine('\u001b[31mred\u001b[0m \u001b]0;title\u0007x\u202eevil')).toBe('red xevil');
    expect(printable('a\r\nb\rc')).toBe('a\nb\nc');
  });

  it('stays linear on a long run of blanks without a line break (the old /\\s*[\\r\\n]+\\s*/ was quadratic)', () => {
    const text = `${' '.repeat(300_000)}x`;
    expect(oneLine(text)).toBe('x');
  });
});

describe('escapeRegExp', () => {
  it('makes every syntax character literal', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p-q';
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(new RegExp(escapeRegExp('a.b')).test('axb')).toBe(false);
  });
});
