import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate } from './go-template.ts';

const run = (src: string, data: unknown) => compileTemplate(src).execute(data);

test('field access, nested, missing', () => {
  assert.equal(run('{{.Name}} {{.State.Status}}', { Name: 'web', State: { Status: 'running' } }), 'web running');
  assert.equal(run('{{.Nope}}', {}), '<no value>');
});

test('json, join, pipelines, printf', () => {
  assert.equal(run('{{json .Labels}}', { Labels: { a: '1' } }), '{"a":"1"}');
  assert.equal(run('{{join .Names ","}}', { Names: ['a', 'b'] }), 'a,b');
  assert.equal(run('{{.Name | upper}}', { Name: 'x' }), 'X');
  assert.equal(run('{{printf "%s:%d" .A .B}}', { A: 'a', B: 2 }), 'a:2');
});

test('range, if/else, with, trim markers', () => {
  assert.equal(run('{{range .Ports}}{{.P}} {{end}}', { Ports: [{ P: 80 }, { P: 443 }] }), '80 443 ');
  assert.equal(run('{{if .On}}yes{{else}}no{{end}}', { On: false }), 'no');
  assert.equal(run('{{with .Net}}{{.IP}}{{end}}', { Net: { IP: '10.0.0.2' } }), '10.0.0.2');
  assert.equal(run('a {{- " b" -}} c', {}), 'a bc');
});

test('errors: unknown function, unclosed action, missing end', () => {
  assert.throws(() => run('{{frob .X}}', {}), /function "frob" not defined/);
  assert.throws(() => compileTemplate('{{.X'), /unclosed action/);
  assert.throws(() => compileTemplate('{{if .X}}y'), /missing \{\{end\}\}/);
});

test('variables: range $k, $v over a map in key order, range $v, {{$x := …}}, $ and $.Field inside range', () => {
  const data = { Name: 'c1', Networks: { zeta: { IP: '10.0.0.2' }, alpha: { IP: '10.0.1.2' } }, Ports: ['80', '443'] };
  const run = (src: string) => compileTemplate(src).execute(data);
  assert.equal(run('{{range $k, $v := .Networks}}{{$k}}={{$v.IP}} {{end}}'), 'alpha=10.0.1.2 zeta=10.0.0.2 ');
  assert.equal(run('{{range $i, $p := .Ports}}{{$i}}:{{$p}},{{end}}'), '0:80,1:443,');
  assert.equal(run('{{range $p := .Ports}}{{$p}}/{{$.Name}} {{end}}'), '80/c1 443/c1 ');
  assert.equal(run('{{$n := .Name}}{{range .Ports}}{{$n}}{{.}} {{end}}'), 'c180 c1443 ');
  assert.equal(run('{{range .Networks}}{{.IP}} {{end}}'), '10.0.1.2 10.0.0.2 ');
  assert.equal(run('{{with $x := .Name}}{{$x}}!{{end}}'), 'c1!');
  assert.throws(() => run('{{range .Ports}}{{$q}}{{end}}'), /undefined variable "\$q"/);
});
