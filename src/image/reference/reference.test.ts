import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseReference, parseNormalizedNamed, parseDockerRef, parseAnyReference, familiarName, familiarString,
  referenceName, referenceString, withTag, type Reference,
} from './reference.ts';
import { isCode } from '../../errors/errors.ts';

const H = 'a'.repeat(64);
const D = `sha256:${H}`;

// input → [String() after ParseNormalizedNamed, FamiliarString(), String() after ParseDockerRef]
const normalized: Array<[string, string, string, string]> = [
  ['busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox:latest'],
  ['busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest', 'docker.io/library/busybox:latest'],
  ['busybox:1.36-musl', 'docker.io/library/busybox:1.36-musl', 'busybox:1.36-musl', 'docker.io/library/busybox:1.36-musl'],
  ['docker.io/library/busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox:latest'],
  ['index.docker.io/library/busybox', 'docker.io/library/busybox', 'busybox', 'docker.io/library/busybox:latest'],
  ['index.docker.io/user/repo', 'docker.io/user/repo', 'user/repo', 'docker.io/user/repo:latest'],
  ['user/repo', 'docker.io/user/repo', 'user/repo', 'docker.io/user/repo:latest'],
  ['user/repo:v1', 'docker.io/user/repo:v1', 'user/repo:v1', 'docker.io/user/repo:v1'],
  ['docker.io/library/foo/bar', 'docker.io/library/foo/bar', 'library/foo/bar', 'docker.io/library/foo/bar:latest'],
  ['a/b/c/d', 'docker.io/a/b/c/d', 'a/b/c/d', 'docker.io/a/b/c/d:latest'],
  ['localhost/x', 'localhost/x', 'localhost/x', 'localhost/x:latest'],
  ['localhost:5000/foo/bar:tag', 'localhost:5000/foo/bar:tag', 'localhost:5000/foo/bar:tag', 'localhost:5000/foo/bar:tag'],
  ['127.0.0.1:5000/foo', '127.0.0.1:5000/foo', '127.0.0.1:5000/foo', '127.0.0.1:5000/foo:latest'],
  ['[::1]:5000/foo', '[::1]:5000/foo', '[::1]:5000/foo', '[::1]:5000/foo:latest'],
  ['[2001:db8::1]/repo', '[2001:db8::1]/repo', '[2001:db8::1]/repo', '[2001:db8::1]/repo:latest'],
  ['example.com/library/busybox', 'example.com/library/busybox', 'example.com/library/busybox', 'example.com/library/busybox:latest'],
  ['registry:5000/ns/img', 'registry:5000/ns/img', 'registry:5000/ns/img', 'registry:5000/ns/img:latest'],
  ['foo:5000', 'docker.io/library/foo:5000', 'foo:5000', 'docker.io/library/foo:5000'],
  ['Foo/bar', 'Foo/bar', 'Foo/bar', 'Foo/bar:latest'],
  ['foo_bar.com:8080', 'docker.io/library/foo_bar.com:8080', 'foo_bar.com:8080', 'docker.io/library/foo_bar.com:8080'],
  [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`, `docker.io/library/busybox@${D}`],
  [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`, `busybox:1@${D}`, `docker.io/library/busybox@${D}`],
  [`host:5000/a/b:t@${D}`, `host:5000/a/b:t@${D}`, `host:5000/a/b:t@${D}`, `host:5000/a/b@${D}`],
];

test('normalisation table (ParseNormalizedNamed, FamiliarString, ParseDockerRef)', () => {
  for (const [input, str, fam, docker] of normalized) {
    const r = parseNormalizedNamed(input);
    assert.equal(referenceString(r), str, input);
    assert.equal(familiarString(r), fam, input);
    assert.equal(referenceString(parseDockerRef(input)), docker, input);
  }
});

test('familiar name back', () => {
  assert.equal(familiarName(parseNormalizedNamed('docker.io/library/busybox')), 'busybox');
  assert.equal(familiarName(parseNormalizedNamed('docker.io/user/repo')), 'user/repo');
  assert.equal(familiarName(parseNormalizedNamed('quay.io/library/busybox')), 'quay.io/library/busybox');
  assert.equal(referenceName(parseNormalizedNamed('busybox:1')), 'docker.io/library/busybox');
});

// Parse (no normalisation): input → [domain, path, tag, digest]
const parsed: Array<[string, string, string, string | undefined, string | undefined]> = [
  ['test_com', '', 'test_com', undefined, undefined],
  ['test.com:tag', '', 'test.com', 'tag', undefined],
  ['test.com:5000', '', 'test.com', '5000', undefined],
  ['test.com/repo:tag', 'test.com', 'repo', 'tag', undefined],
  ['test:5000/repo', 'test:5000', 'repo', undefined, undefined],
  ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', undefined],
  [`test:5000/repo@${D}`, 'test:5000', 'repo', undefined, D],
  [`test:5000/repo:tag@${D}`, 'test:5000', 'repo', 'tag', D],
  ['lowercase:Uppercase', '', 'lowercase', 'Uppercase', undefined],
  ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'bar/baz/quux', undefined, undefined],
  ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', undefined],
  ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app', 'test.example.com', undefined],
  ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', undefined],
  ['foo/foo_bar.com:8080', 'foo', 'foo_bar.com', '8080', undefined],
  ['a__b/c--d-e', '', 'a__b/c--d-e', undefined, undefined], // '_' is not allowed in a domain,
  [`a${'b'.repeat(250)}:${'t'.repeat(128)}`, '', `a${'b'.repeat(250)}`, 't'.repeat(128), undefined],
];

test('Parse table', () => {
  for (const [input, domain, path, tag, digest] of parsed) {
    const r: Reference = parseReference(input);
    assert.deepEqual([r.domain, r.path, r.tag, r.digest], [domain, path, tag, digest], input);
  }
});

const TOO_LONG = `repository name must not be more than 255 characters`;
// input → error text (ParseNormalizedNamed)
const invalidNormalized: Array<[string, string]> = [
  ['', 'invalid reference format'],
  ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
  ['UPPER:tag', 'invalid reference format: repository name (library/UPPER) must be lowercase'],
  ['a/B', 'invalid reference format: repository name (a/B) must be lowercase'],
  ['busybox:', 'invalid reference format'],
  [':tag', 'invalid reference format'],
  ['-foo', 'invalid reference format'],
  ['foo//bar', 'invalid reference format'],
  ['foo/', 'invalid reference format'],
  ['a:b:c', 'invalid reference format'],
  ['busybox@sha256:abc', 'invalid reference format'],
  ['busybox@', 'invalid reference format'],
  [`busybox:${'t'.repeat(129)}`, 'invalid reference format'],
  ['[fe80::1%eth0]:5000/repo', 'invalid reference format'],
  ['foo bar', 'invalid reference format'],
  [H, `invalid repository name (${H}), cannot specify 64-byte hexadecimal strings`],
  [`busybox@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
  [`busybox@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
  [`busybox@foo:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
  [`a/${'b'.repeat(250)}`, TOO_LONG],
];

test('invalid references carry Docker\'s error texts', () => {
  for (const [input, msg] of invalidNormalized) {
    assert.throws(() => parseNormalizedNamed(input), (e: unknown) => {
      assert.ok(isCode(e, 'InvalidArgument'), input);
      assert.equal((e as Error).message, msg, input);
      return true;
    });
  }
});

test('Parse errors', () => {
  const cases: Array<[string, string]> = [
    ['', 'repository name must have at least one component'],
    ['Uppercase:tag', 'repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    [`${'a'.repeat(256)}`, TOO_LONG],
  ];
  for (const [input, msg] of cases) assert.throws(() => parseReference(input), { message: msg }, input);
});

test('ParseAnyReference and WithTag', () => {
  assert.deepEqual(parseAnyReference(H), { digest: D });
  assert.deepEqual(parseAnyReference(D), { digest: D });
  assert.equal(referenceString(parseAnyReference('busybox') as Reference), 'docker.io/library/busybox');
  assert.equal(referenceString(withTag(parseNormalizedNamed('busybox'), 'v2')), 'docker.io/library/busybox:v2');
  assert.throws(() => withTag(parseNormalizedNamed('busybox'), '-bad'), { message: 'invalid tag format' });
});
