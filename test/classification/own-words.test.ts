import { className, nameToken } from '../../lambda/classification/own-words';

describe('own words', () => {
  it('accept class names of every runtime and reject anything else', () => {
    for (const ok of ['ValueError', 'java.lang.IllegalStateException', 'Foo::Bar', 'Outer$Inner', 'System.IO.FileNotFoundException', 'std::runtime_error', 'ÄrgerError']) expect(className(ok)).toBe(ok);
    for (const bad of ['AWS SECURITY NOTICE', 'http://evil.example', '<!here>', '@channel', 'a.b.', 'X\u001b[31m', `${'A'.repeat(121)}`, '', undefined]) expect(className(bad)).toBeUndefined();
  });

  it('accept one name-, path- or host-shaped token, never a link, a mention or a sentence', () => {
    for (const ok of ['DATABASE_URL', '@scope/pkg', './lib/x.js', '/var/lib/app', 'db.internal:5432', '::1', '[::1]', 'libssl.so.1.1', 'spring.datasource.url', 'repo:1.2@sha256:ab']) expect(nameToken(ok)).toBe(ok);
    for (const bad of ['http://evil.example', 'javascript:alert(1)', '//evil.example/x', 'a b', '@channel', '@here', '<!here>', '<http://x|click>', 'x\u202ey', 'x\u001b[0m', `${'a'.repeat(121)}`, '', undefined]) expect(nameToken(bad)).toBeUndefined();
  });
});
