import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec } from './validate.ts';
import { defaultSpec } from './default-spec.ts';
import { isCode } from '../../errors/errors.ts';

const base = () => JSON.parse(JSON.stringify(defaultSpec({ args: ['true'], terminal: false })));

test('the default spec is valid', () => {
  assert.equal(validateSpec(base()).process?.args[0], 'true');
});

const bad: [string, (s: any) => void, RegExp][] = [
  ['unknown namespace', (s) => s.linux.namespaces.push({ type: 'bogus' }), /unknown namespace type "bogus"/],
  ['duplicate namespace', (s) => s.linux.namespaces.push({ type: 'pid' }), /listed twice/],
  ['relative cwd', (s) => { s.process.cwd = 'tmp'; }, /cwd must be an absolute path/],
  ['relative mount destination', (s) => s.mounts.push({ destination: 'data', type: 'tmpfs', source: 'tmpfs' }), /must be an absolute path/],
  ['empty args', (s) => { s.process.args = []; }, /args must not be empty/],
  ['missing root', (s) => { delete s.root; }, /root.path is required/],
  ['userns without maps', (s) => s.linux.namespaces.push({ type: 'user' }), /needs linux.uidMappings/],
  ['hostname without uts', (s) => { s.linux.namespaces = s.linux.namespaces.filter((n: any) => n.type !== 'uts'); }, /uts namespace/],
  ['soft above hard rlimit', (s) => { s.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 5 }]; }, /above the hard limit/],
  ['old ociVersion', (s) => { s.ociVersion = '0.6.0'; }, /unsupported ociVersion/],
  ['relative masked path', (s) => { s.linux.maskedPaths = ['proc/kcore']; }, /maskedPaths/],
  ['negative uid', (s) => { s.process.user.uid = -1; }, /uid must be an unsigned/],
];

for (const [name, mutate, re] of bad) {
  test(`rejects ${name}`, () => {
    const s = base();
    mutate(s);
    assert.throws(() => validateSpec(s), (err: unknown) => isCode(err, 'InvalidArgument') && re.test((err as Error).message));
  });
}
