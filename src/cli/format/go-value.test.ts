import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOL, INT, STRING, goDuration, goFloat, goPrint, mapOf, ptrTo, sliceOf, struct } from './go-value.ts';
import { compileTemplate } from './go-template.ts';
import { CONTAINER_INSPECT } from './go-types.ts';

test('goPrint: structs in field order with zero values, maps sorted, slices, pointers', () => {
  const T = struct(['Name', STRING], ['On', BOOL], ['N', INT], ['Tags', sliceOf(STRING)], ['M', mapOf(STRING)], ['P', ptrTo(INT)], ['Sub', struct(['A', STRING])]);
  assert.equal(goPrint({ N: 3, Name: 'x', M: { b: '2', a: '1' }, Tags: ['t1', 't2'] }, T), '{x false 3 [t1 t2] map[a:1 b:2] <nil> {}}');
  assert.equal(goPrint({ P: 5 }, T), '{ false 0 [] map[] 0xc000000000 {}}');
  assert.equal(goPrint(null, ptrTo(T)), '<nil>');
  assert.equal(goPrint({ Name: 'top' }, ptrTo(struct(['Name', STRING]))), '{top}');
});

test('goPrint untyped: Go-field-named keys read as a struct, other objects as maps', () => {
  assert.equal(goPrint({ Name: 'json-file', Config: {} }), '{json-file map[]}');
  assert.equal(goPrint({ 'com.x': 'b', a: 'c' }), 'map[a:c com.x:b]');
  assert.equal(goPrint([1, 'a', null, true]), '[1 a <nil> true]');
  assert.equal(goPrint(undefined), '<no value>');
});

test('goFloat and goDuration as Go prints them', () => {
  assert.equal(goFloat(123456), '123456');
  assert.equal(goFloat(1e6), '1e+06');
  assert.equal(goFloat(1234567), '1.234567e+06');
  assert.equal(goFloat(0.5), '0.5');
  assert.equal(goFloat(0.00001), '1e-05');
  assert.equal(goDuration(90e9), '1m30s');
  assert.equal(goDuration(3600e9 + 1.5e9), '1h0m1.5s');
  assert.equal(goDuration(300e6), '300ms');
  assert.equal(goDuration(0), '0s');
});

test('templates over a typed container: {{.State}}, labels, missing map keys, range elements typed', () => {
  const c = { Id: 'abc', State: { Status: 'running', Running: true, Pid: 42, StartedAt: 's', FinishedAt: 'f' }, Config: { Labels: { b: '2', a: '1' }, Healthcheck: { Test: ['CMD', 'true'], Interval: 90e9 } },
    Mounts: [{ Type: 'volume', Name: 'v', Source: '/s', Destination: '/d', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }] };
  const run = (src: string) => compileTemplate(src).execute(c, CONTAINER_INSPECT);
  assert.equal(run('{{.State}}'), '{running true false false false false 42 0  s f <nil>}');
  assert.equal(run('{{.Config.Labels}} {{.Config.Labels.a}} {{.Config.Labels.zz}}'), 'map[a:1 b:2] 1 <no value>');
  assert.equal(run('{{.Config.Healthcheck}}'), '{[CMD true] 1m30s 0s 0s 0s 0}');
  assert.equal(run('{{range .Mounts}}{{.}}{{end}}'), '{volume v /s /d local z true }');
  assert.equal(run('{{.ID}} {{.HostConfig}}'), 'abc <nil>');
});
