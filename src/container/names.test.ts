import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeName, nameConflict, randomName, generateName, resolveRef, NameRegistry } from './names.ts';
import { ADJECTIVES, SURNAMES } from './name-words.ts';

test('name rule', () => {
  assert.equal(normalizeName('web'), '/web');
  assert.equal(normalizeName('/web_1.a-b'), '/web_1.a-b');
  for (const bad of ['a', '_web', '-x', 'a b', 'a/b', '', '/']) {
    assert.throws(() => normalizeName(bad), { code: 'InvalidArgument', message: `Invalid container name (${bad}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed` });
  }
});

test('conflict message', () => {
  assert.equal(nameConflict('x', 'abc').message, 'Conflict. The container name "/x" is already in use by container "abc". You have to remove (or rename) that container to be able to reuse that name.');
});

test('random names', () => {
  let i = 0;
  const seq = (n: number) => (i++ * 7) % n;
  for (let k = 0; k < 200; k++) {
    const n = randomName(seq);
    const [a, s] = n.split('_');
    assert.ok(ADJECTIVES.includes(a) && SURNAMES.includes(s), n);
    assert.notEqual(n, 'boring_wozniak');
  }
  assert.match(randomName(() => 0, 2), /^[a-z]+_[a-z]+0$/);
  const w = SURNAMES.indexOf('wozniak'), b = ADJECTIVES.indexOf('boring');
  const picks = [b, w, 0, 0];
  assert.equal(randomName(() => picks.shift()!), `${ADJECTIVES[0]}_${SURNAMES[0]}`);
  assert.equal(generateName(() => 0, () => true, 'f'.repeat(64)), '/ffffffffffff');
  assert.equal(generateName(() => 0, (n) => !n.endsWith('0'), 'f'.repeat(64)), `/${ADJECTIVES[0]}_${SURNAMES[0]}0`);
});

test('reference resolution', () => {
  const a = 'abc' + '1'.repeat(61), b = 'abd' + '2'.repeat(61);
  const list = [{ id: a, name: '/one' }, { id: b, name: '/abd' }];
  assert.equal(resolveRef(list, a), a);
  assert.equal(resolveRef(list, 'one'), a);
  assert.equal(resolveRef(list, '/one'), a);
  assert.equal(resolveRef(list, 'abd'), b, 'a name wins over an id prefix');
  assert.equal(resolveRef(list, 'abc'), a);
  assert.throws(() => resolveRef(list, 'ab'), { code: 'InvalidArgument', message: 'multiple IDs found with provided prefix: ab' });
  assert.throws(() => resolveRef(list, 'zzz'), { code: 'NotFound', message: 'No such container: zzz' });
  assert.throws(() => resolveRef(list, 'ff'), { code: 'NotFound', message: 'No such container: ff' });
  assert.throws(() => resolveRef(list, ''), { code: 'InvalidArgument' });
});

test('registry: one winner per name', () => {
  const r = new NameRegistry();
  r.reserve('web', 'id1');
  r.reserve('/web', 'id1');
  assert.throws(() => r.reserve('web', 'id2'), { code: 'Conflict' });
  r.releaseId('id1');
  r.reserve('web', 'id2');
  assert.equal(r.holder('/web'), 'id2');
});
