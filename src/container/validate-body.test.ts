import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCreateBody } from './validate-body.ts';

test('wrong types are Go unmarshal errors; strslice takes a string', () => {
  assert.throws(() => validateCreateBody({ Image: 'x', HostConfig: { Memory: 'lots' } }), /json: cannot unmarshal string into Go struct field HostConfig\.Memory of type int64/);
  assert.throws(() => validateCreateBody({ Image: 'x', Env: 'A=1' }), /Config\.Env of type \[\]string/);
  assert.throws(() => validateCreateBody([]), /cannot unmarshal array/);
  assert.deepEqual(validateCreateBody({ Image: 'x', Cmd: 'echo', Env: null }), { Image: 'x', Cmd: ['echo'], Env: null });
});
