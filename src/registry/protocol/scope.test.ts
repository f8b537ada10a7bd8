import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScopes, formatScope, requiredAccess, covers } from './scope.ts';

test('scopes parse (names with colons of a host:port) and format back', () => {
  assert.deepEqual(parseScopes(['repository:a/b:pull,push registry:catalog:*']), [
    { type: 'repository', name: 'a/b', actions: ['pull', 'push'] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ]);
  assert.deepEqual(parseScopes(['repository:host:5000/x:pull']), [{ type: 'repository', name: 'host:5000/x', actions: ['pull'] }]);
  assert.deepEqual(parseScopes(['junk', 'a:b']), []);
  assert.equal(formatScope({ type: 'repository', name: 'a', actions: ['pull', 'push'] }), 'repository:a:pull,push');
});

test('the access each request needs', () => {
  assert.equal(requiredAccess({ kind: 'base' }, 'GET'), undefined);
  assert.deepEqual(requiredAccess({ kind: 'manifest', name: 'a', reference: 'x' }, 'HEAD'), [{ type: 'repository', name: 'a', actions: ['pull'] }]);
  assert.deepEqual(requiredAccess({ kind: 'manifest', name: 'a', reference: 'x' }, 'PUT'), [{ type: 'repository', name: 'a', actions: ['push'] }]);
  assert.deepEqual(requiredAccess({ kind: 'blob', name: 'a', digest: 'd' }, 'DELETE'), [{ type: 'repository', name: 'a', actions: ['delete'] }]);
  assert.deepEqual(requiredAccess({ kind: 'uploads', name: 'a' }, 'POST'), [{ type: 'repository', name: 'a', actions: ['pull', 'push'] }]);
  assert.deepEqual(requiredAccess({ kind: 'catalog' }, 'GET'), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
});

test('covers: every needed action granted, * grants all', () => {
  const need = [{ type: 'repository', name: 'a', actions: ['pull', 'push'] }];
  assert.equal(covers([{ type: 'repository', name: 'a', actions: ['pull'] }], need), false);
  assert.equal(covers([{ type: 'repository', name: 'a', actions: ['push', 'pull'] }], need), true);
  assert.equal(covers([{ type: 'repository', name: 'a', actions: ['*'] }], need), true);
  assert.equal(covers([{ type: 'repository', name: 'b', actions: ['*'] }], need), false);
});
