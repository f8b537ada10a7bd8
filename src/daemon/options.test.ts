import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDaemonOptions } from './daemon-cli.ts';
import { parseListenAddress } from './listen-address.ts';
import { mergeConfigFile, parseDaemonArgs, resolveOptions } from './options.ts';

const opts = (argv: string[], file: Record<string, unknown> = {}) => resolveOptions(mergeConfigFile(parseDaemonArgs(argv), file, '/x.json'), '/x.json', false);

test('defaults as dockerd, with berth paths', () => {
  const o = opts([]);
  assert.deepEqual(o.hosts, ['unix:///run/berth/berth.sock']);
  assert.equal(o.dataRoot, '/var/lib/berth');
  assert.equal(o.execRoot, '/run/berth');
  assert.equal(o.logLevel, 'info');
  assert.equal(o.tls, undefined);
  assert.equal(o.group, 'berth');
  assert.equal(o.groupExplicit, false);
});

test('repeated -H, --flag=value, -D, log level', () => {
  const o = opts(['-H', 'unix:///a.sock', '--host=tcp://0.0.0.0:2375', '--tls=false', '-D', '--data-root', '/d', '--exec-root=/e', '--pidfile', '/p', '--cgroup-parent', 'berth.slice']);
  assert.deepEqual(o.hosts, ['unix:///a.sock', 'tcp://0.0.0.0:2375']);
  assert.equal(o.debug, true);
  assert.equal(o.logLevel, 'debug');
  assert.equal(o.tlsExplicitlyOff, true);
  assert.equal(o.cgroupParent, 'berth.slice');
  assert.equal(o.dataRoot, '/d');
  assert.throws(() => opts(['--log-level', 'loud']), /unable to parse logging level: loud/);
  assert.throws(() => opts(['--frob']), /unknown flag: --frob/);
  assert.throws(() => opts(['extra']), /positional/);
});

test('TLS flags', () => {
  const o = opts(['--tlsverify', '--tlscacert', 'ca.pem', '--tlscert', 'c.pem', '--tlskey', 'k.pem']);
  assert.deepEqual(o.tls, { verify: true, ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' });
  assert.equal(o.tlsExplicitlyOff, false);
  assert.throws(() => opts(['--tls']), /--tlscert and --tlskey/);
  assert.throws(() => opts(['--tlsverify', '--tlscert', 'c', '--tlskey', 'k']), /--tlscacert/);
});

test('daemon.json: merged, unknown and doubled directives refused as dockerd does', () => {
  const o = opts([], { 'data-root': '/dd', hosts: ['unix:///f.sock'], debug: true, 'log-opts': { 'max-size': '10m' }, labels: ['a=b'] });
  assert.equal(o.dataRoot, '/dd');
  assert.deepEqual(o.hosts, ['unix:///f.sock']);
  assert.deepEqual(o.labels, ['a=b']);
  assert.deepEqual(o.extra, { 'log-opts': { 'max-size': '10m' } });
  assert.throws(() => opts([], { 'no-such-thing': 1, zzz: 2 }), /the following directives don't match any configuration option: no-such-thing, zzz/);
  assert.throws(() => opts(['--data-root', '/a'], { 'data-root': '/b' }), /specified both as a flag and in the configuration file: data-root/);
  assert.throws(() => opts(['-H', 'unix:///a'], { hosts: ['unix:///b'] }), /both as a flag/);
  assert.throws(() => opts([], { debug: 'yes' }), /expected a boolean/);
});

test('--config-file: read, missing explicit file is an error, default file optional', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-opts-'));
  try {
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ 'exec-root': '/ee' }));
    assert.equal(loadDaemonOptions(['--config-file', join(dir, 'd.json')]).execRoot, '/ee');
    assert.throws(() => loadDaemonOptions(['--config-file', join(dir, 'missing.json')]), /no such file/);
    writeFileSync(join(dir, 'bad.json'), '{');
    assert.throws(() => loadDaemonOptions(['--config-file', join(dir, 'bad.json')]), /unable to configure/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listen addresses', () => {
  assert.deepEqual(parseListenAddress('unix://', '/run/berth/berth.sock', false), { kind: 'unix', path: '/run/berth/berth.sock' });
  assert.deepEqual(parseListenAddress('unix:///tmp/x.sock', '/d', false), { kind: 'unix', path: '/tmp/x.sock' });
  assert.deepEqual(parseListenAddress('tcp://0.0.0.0:1234', '/d', false), { kind: 'tcp', host: '0.0.0.0', port: 1234 });
  assert.deepEqual(parseListenAddress('tcp://', '/d', false), { kind: 'tcp', host: '127.0.0.1', port: 2375 });
  assert.deepEqual(parseListenAddress('tcp://:', '/d', true), { kind: 'tcp', host: '127.0.0.1', port: 2376 });
  assert.deepEqual(parseListenAddress('[::1]:80', '/d', false), { kind: 'tcp', host: '::1', port: 80 });
  assert.throws(() => parseListenAddress('fd://', '/d', false), /unix:\/\/ and tcp:\/\/ only/);
  assert.throws(() => parseListenAddress('unix://rel.sock', '/d', false), /absolute/);
  assert.throws(() => parseListenAddress('tcp://h:99999', '/d', false), /invalid port/);
  assert.throws(() => parseListenAddress('tcp://h:1/path', '/d', false), /path element/);
});
