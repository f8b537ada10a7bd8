// Container lifecycle through the docker CLI against berthd: ps (filters, formats), inspect,
// stop/kill/restart, pause/unpause, rename, wait, top, rm (conflicts, -f), prune, events and
// restart policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docker } from './support/docker-cli.ts';
import { useBerthd, noDocker, ok, eventually } from './support/container-fixture.ts';

const berthd = useBerthd();
const skip = noDocker;
const state = (id: string, fmt = '{{.State.Status}}') => ok(berthd(), ['inspect', '--format', fmt, id]);

test('docker ps: running only by default, -a, -q, --filter status/name, --format', { skip }, async () => {
  const d = berthd();
  const up = await ok(d, ['run', '-d', '--name', 'ps-up', 'busybox', 'sleep', '60']);
  assert.equal((await docker(['run', '--name', 'ps-done', 'busybox', 'sh', '-c', 'exit 3'], d.dockerEnv)).code, 3);
  const made = await ok(d, ['create', '--name', 'ps-made', 'busybox']);
  assert.equal(await ok(d, ['ps', '-q']), up.slice(0, 12));
  assert.equal(await ok(d, ['ps', '-q', '--no-trunc']), up);
  assert.deepEqual((await ok(d, ['ps', '-aq'])).split('\n').sort(), [up.slice(0, 12), made.slice(0, 12), (await ok(d, ['inspect', '-f', '{{.Id}}', 'ps-done'])).slice(0, 12)].sort());
  assert.equal(await ok(d, ['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}} {{.Status}}']), 'ps-done Exited (3) Less than a second ago');
  assert.equal(await ok(d, ['ps', '-a', '--filter', 'status=created', '--format', '{{.Names}}']), 'ps-made');
  assert.equal(await ok(d, ['ps', '-a', '--filter', 'exited=3', '--format', '{{.Names}}']), 'ps-done');
  assert.equal(await ok(d, ['ps', '-a', '--filter', 'name=ps-u', '--format', '{{.Names}}']), 'ps-up');
  assert.match(await ok(d, ['ps', '--format', '{{.Names}} {{.Status}} {{.Image}} {{.Command}}']), /^ps-up Up (Less than a second|\d+ seconds?) busybox "sleep 60"$/);
  const table = (await ok(d, ['ps', '-a'])).split('\n');
  assert.match(table[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  assert.equal(table.length, 4);
  const bad = await docker(['ps', '--filter', 'status=nope'], d.dockerEnv);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid filter 'status=nope'/);
});

test('docker inspect: State fields, --format, unknown names', { skip }, async () => {
  const d = berthd();
  const id = await ok(d, ['run', '-d', '--name', 'insp', '-e', 'K=V', '--label', 'l=1', 'busybox', 'sleep', '60']);
  const [doc] = JSON.parse(await ok(d, ['inspect', 'insp'])) as Record<string, any>[];
  assert.equal(doc.Id, id);
  assert.equal(doc.Name, '/insp');
  assert.equal(doc.Path, 'sleep');
  assert.deepEqual(doc.Args, ['60']);
  assert.equal(doc.State.Status, 'running');
  assert.equal(doc.State.Running, true);
  assert.equal(doc.State.Paused, false);
  assert.equal(doc.State.Restarting, false);
  assert.equal(doc.State.OOMKilled, false);
  assert.equal(doc.State.Dead, false);
  assert.ok(doc.State.Pid > 0);
  assert.equal(doc.State.ExitCode, 0);
  assert.equal(doc.State.Error, '');
  assert.match(doc.State.StartedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(doc.State.FinishedAt, '0001-01-01T00:00:00Z');
  assert.match(doc.Image, /^sha256:[0-9a-f]{64}$/);
  assert.equal(doc.Config.Image, 'busybox');
  assert.ok(doc.Config.Env.includes('K=V'));
  assert.deepEqual(doc.Config.Labels, { l: '1' });
  assert.deepEqual(doc.Config.Cmd, ['sleep', '60']);
  assert.equal(doc.HostConfig.RestartPolicy.Name, 'no');
  assert.equal(doc.RestartCount, 0);
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.Running}} {{.State.Pid}}', 'insp']), `true ${doc.State.Pid}`);
  assert.equal(await ok(d, ['container', 'inspect', '-f', '{{.Name}}', id.slice(0, 8)]), '/insp');
  await ok(d, ['kill', 'insp']);
  await ok(d, ['wait', 'insp']);
  const st = JSON.parse(await ok(d, ['inspect', '--format', '{{json .State}}', 'insp']));
  assert.equal(st.Status, 'exited');
  assert.equal(st.ExitCode, 137);
  assert.equal(st.Pid, 0);
  assert.notEqual(st.FinishedAt, '0001-01-01T00:00:00Z');
  const none = await docker(['container', 'inspect', 'nope-nope'], d.dockerEnv);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No such container: nope-nope/);
});

test('docker stop: SIGTERM (143 through --init), a trapped TERM waits for -t then SIGKILL (137)', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--init', '--name', 'stop-term', 'busybox', 'sleep', '60']);
  const t0 = Date.now();
  assert.equal(await ok(d, ['stop', 'stop-term']), 'stop-term');
  assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
  assert.equal(await state('stop-term', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 143');
  await ok(d, ['run', '-d', '--name', 'stop-trap', 'busybox', 'sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.1; done']);
  await eventually(async () => (await ok(d, ['logs', 'stop-trap'])) === 'ready', 'the trap to be set');
  const t1 = Date.now();
  assert.equal(await ok(d, ['stop', '-t', '1', 'stop-trap']), 'stop-trap');
  const took = Date.now() - t1;
  assert.ok(took >= 900 && took < 5000, `stop -t 1 took ${took} ms`);
  assert.equal(await state('stop-trap', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 137');
  await ok(d, ['run', '-d', '--name', 'stop-exit', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
  await new Promise((r) => setTimeout(r, 300));
  await ok(d, ['stop', 'stop-exit']);
  assert.equal(await state('stop-exit', '{{.State.ExitCode}}'), '0');
  assert.equal(await ok(d, ['stop', 'stop-exit']), 'stop-exit', 'stopping a stopped container is fine');
  const none = await docker(['stop', 'no-such-one'], d.dockerEnv);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No such container: no-such-one/);
});

test('docker kill -s: the signal reaches the process; killing a stopped container is an error', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'kill-usr1', 'busybox', 'sh', '-c', 'trap "echo got USR1; exit 5" USR1; echo ready; while true; do sleep 0.1; done']);
  await eventually(async () => (await ok(d, ['logs', 'kill-usr1'])) === 'ready', 'the trap to be set');
  assert.equal(await ok(d, ['kill', '-s', 'USR1', 'kill-usr1']), 'kill-usr1');
  assert.equal(await ok(d, ['wait', 'kill-usr1']), '5');
  assert.equal(await ok(d, ['logs', 'kill-usr1']), 'ready\ngot USR1');
  await ok(d, ['run', '-d', '--name', 'kill-9', 'busybox', 'sleep', '60']);
  await ok(d, ['kill', 'kill-9']);
  assert.equal(await ok(d, ['wait', 'kill-9']), '137');
  const again = await docker(['kill', 'kill-9'], d.dockerEnv);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /Container [0-9a-f]{64} is not running/);
});

test('docker restart: a running and an exited container run again', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--init', '--name', 'rs', 'busybox', 'sh', '-c', 'echo start; sleep 60']);
  const pid1 = await state('rs', '{{.State.Pid}}');
  assert.equal(await ok(d, ['restart', '-t', '1', 'rs']), 'rs');
  assert.equal(await state('rs', '{{.State.Status}} {{.RestartCount}}'), 'running 0');
  assert.notEqual(await state('rs', '{{.State.Pid}}'), pid1);
  await eventually(async () => (await ok(d, ['logs', 'rs'])) === 'start\nstart', 'two starts in the log');
  await ok(d, ['run', '--name', 'rs-done', 'busybox', 'true']);
  await ok(d, ['restart', 'rs-done']);
  assert.equal(await ok(d, ['wait', 'rs-done']), '0');
});

test('docker pause / unpause: status Paused, processes frozen', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'pz', 'busybox', 'sleep', '60']);
  assert.equal(await ok(d, ['pause', 'pz']), 'pz');
  assert.equal(await state('pz', '{{.State.Status}} {{.State.Paused}} {{.State.Running}}'), 'paused true true');
  assert.match(await ok(d, ['ps', '--format', '{{.Status}}']), /^Up .* \(Paused\)$/);
  assert.equal(await ok(d, ['ps', '--filter', 'status=paused', '--format', '{{.Names}}']), 'pz');
  const again = await docker(['pause', 'pz'], d.dockerEnv);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /is already paused/);
  const stop = await docker(['rm', 'pz'], d.dockerEnv);
  assert.notEqual(stop.code, 0);
  assert.equal(await ok(d, ['unpause', 'pz']), 'pz');
  assert.equal(await state('pz', '{{.State.Status}} {{.State.Paused}}'), 'running false');
  const notPaused = await docker(['unpause', 'pz'], d.dockerEnv);
  assert.match(notPaused.stderr, /is not paused/);
  await ok(d, ['pause', 'pz']);
  await ok(d, ['rm', '-f', 'pz']);
});

test('docker rename: new name everywhere, old name free, conflicts refused', { skip }, async () => {
  const d = berthd();
  const id = await ok(d, ['create', '--name', 'old-name', 'busybox']);
  await ok(d, ['create', '--name', 'taken', 'busybox']);
  await ok(d, ['rename', 'old-name', 'new-name']);
  assert.equal(await state('new-name', '{{.Id}} {{.Name}}'), `${id} /new-name`);
  const gone = await docker(['inspect', 'old-name'], d.dockerEnv);
  assert.notEqual(gone.code, 0);
  const clash = await docker(['rename', 'new-name', 'taken'], d.dockerEnv);
  assert.notEqual(clash.code, 0);
  assert.match(clash.stderr, /Conflict\. The container name "\/taken" is already in use by container/);
  await ok(d, ['create', '--name', 'old-name', 'busybox']);
});

test('docker wait: blocks until the exit, prints the code; several at once', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 1; exit 9']);
  await ok(d, ['run', '-d', '--name', 'w2', 'busybox', 'sh', '-c', 'exit 4']);
  const t0 = Date.now();
  assert.equal(await ok(d, ['wait', 'w1', 'w2']), '9\n4');
  assert.ok(Date.now() - t0 >= 500);
  assert.equal(await ok(d, ['wait', 'w1']), '9', 'an exited container answers at once');
});

test('docker top: the container\'s processes, ps options', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'tp', 'busybox', 'sh', '-c', 'sleep 61 & sleep 62; true']);
  await new Promise((r) => setTimeout(r, 300));
  const lines = (await ok(d, ['top', 'tp'])).split('\n');
  assert.match(lines[0], /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  const cmds = lines.slice(1).map((l) => l.split(/\s+/).slice(7).join(' ')).sort();
  assert.deepEqual(cmds, ['sh -c sleep 61 & sleep 62; true', 'sleep 61', 'sleep 62']);
  const aux = (await ok(d, ['top', 'tp', 'aux'])).split('\n');
  assert.match(aux[0], /^USER\s+PID\s+%CPU/);
  assert.equal(aux.length, 4);
  await ok(d, ['kill', 'tp']);
  await ok(d, ['wait', 'tp']);
  const stopped = await docker(['top', 'tp'], d.dockerEnv);
  assert.notEqual(stopped.code, 0);
  assert.match(stopped.stderr, /is not running/);
});

test('docker rm: conflict while running, -f kills, several at once, unknown names', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'rm-run', 'busybox', 'sleep', '60']);
  const conflict = await docker(['rm', 'rm-run'], d.dockerEnv);
  assert.equal(conflict.code, 1);
  assert.equal(conflict.stderr.trim(), 'Error response from daemon: cannot remove container "rm-run": container is running: stop the container before removing or force remove');
  assert.equal(await ok(d, ['rm', '-f', 'rm-run']), 'rm-run');
  await ok(d, ['create', '--name', 'rm-a', 'busybox']);
  await ok(d, ['create', '--name', 'rm-b', 'busybox']);
  assert.equal(await ok(d, ['rm', 'rm-a', 'rm-b']), 'rm-a\nrm-b');
  const none = await docker(['rm', 'rm-none'], d.dockerEnv);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /Error response from daemon: No such container: rm-none/);
  assert.equal(await ok(d, ['ps', '-aq']), '');
});

test('docker container prune -f removes stopped containers only', { skip }, async () => {
  const d = berthd();
  const keep = await ok(d, ['run', '-d', 'busybox', 'sleep', '60']);
  const a = await ok(d, ['create', 'busybox']);
  await ok(d, ['run', '--name', 'pr-done', 'busybox', 'true']);
  const b = await state('pr-done', '{{.Id}}');
  const out = await ok(d, ['container', 'prune', '-f']);
  assert.match(out, /^Deleted Containers:\n/);
  assert.deepEqual(out.split('\n').slice(1, 3).sort(), [a, b].sort());
  assert.match(out, /Total reclaimed space: \S+/);
  assert.equal(await ok(d, ['ps', '-aq', '--no-trunc']), keep);
});

test('docker events --since --until: create, attach, start, die, destroy', { skip }, async () => {
  const d = berthd();
  const since = (Date.now() / 1000).toFixed(3);
  await ok(d, ['run', '--rm', '--name', 'ev', 'busybox', 'true']);
  await new Promise((r) => setTimeout(r, 200));
  const until = ((Date.now() + 500) / 1000).toFixed(3);
  const r = await ok(d, ['events', '--since', since, '--until', until, '--filter', 'container=ev', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.image}}']);
  const actions = r.split('\n').map((l) => l.split(' ')[1]);
  for (const a of ['create', 'start', 'die', 'destroy']) assert.ok(actions.includes(a), r);
  assert.ok(actions.indexOf('create') < actions.indexOf('start') && actions.indexOf('start') < actions.indexOf('die') && actions.indexOf('die') < actions.indexOf('destroy'), r);
  for (const l of r.split('\n')) assert.match(l, /^container \S+ ev busybox$/);
  const die = await ok(d, ['events', '--since', since, '--until', until, '--filter', 'event=die', '--format', '{{.Actor.Attributes.exitCode}}']);
  assert.equal(die, '0');
});

test('docker events: attach comes between create and start, as Docker sends it', { skip }, async () => {
  const d = berthd();
  const since = (Date.now() / 1000).toFixed(3);
  await ok(d, ['run', '--rm', '--name', 'ev2', 'busybox', 'true']);
  const until = ((Date.now() + 500) / 1000).toFixed(3);
  const r = await ok(d, ['events', '--since', since, '--until', until, '--filter', 'container=ev2', '--format', '{{.Action}}']);
  assert.deepEqual(r.split('\n'), ['create', 'attach', 'start', 'die', 'destroy']);
});

test('--restart on-failure:2 restarts twice, then stays exited', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'rp', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 3']);
  await eventually(async () => (await state('rp', '{{.RestartCount}} {{.State.Status}}')) === '2 exited' && true, 'two restarts', 15_000);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await state('rp', '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}'), '2 exited 3 on-failure 2');
  assert.equal(await ok(d, ['logs', 'rp']), 'run\nrun\nrun');
});

test('--restart always: restarted after exit 0, docker stop ends it', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'ra', '--restart', 'always', 'busybox', 'sh', '-c', 'echo run; sleep 0.2']);
  await eventually(async () => Number(await state('ra', '{{.RestartCount}}')) >= 2, 'two restarts', 15_000);
  await ok(d, ['stop', '-t', '1', 'ra']);
  const n = await state('ra', '{{.RestartCount}}');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await state('ra', '{{.State.Status}} {{.RestartCount}}'), `exited ${n}`);
});

test('a container waiting for its policy\'s restart is "restarting"; rm refuses, stop ends it', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'rr', '--restart', 'always', 'busybox', 'sh', '-c', 'exit 2']);
  // The delay doubles from 200 ms: by the fourth restart the container waits 1.6 s.
  await eventually(async () => /^restarting true true 0 2 [3-9]$/.test(await state('rr', '{{.State.Status}} {{.State.Running}} {{.State.Restarting}} {{.State.Pid}} {{.State.ExitCode}} {{.RestartCount}}')), 'the restarting state', 15_000);
  assert.match(await ok(d, ['ps', '--format', '{{.Status}}']), /^Restarting \(2\) (Less than a second|\d+ seconds?) ago$/);
  const rm = await docker(['rm', 'rr'], d.dockerEnv);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /cannot remove container "rr": container is restarting: stop the container before removing or force remove/);
  const paused = await docker(['pause', 'rr'], d.dockerEnv);
  assert.match(paused.stderr, /is restarting, wait until the container is running/);
  await ok(d, ['stop', 'rr']);
  assert.equal(await state('rr', '{{.State.Status}} {{.State.Restarting}} {{.State.ExitCode}}'), 'exited false 2');
  const n = await state('rr', '{{.RestartCount}}');
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(await state('rr', '{{.State.Status}} {{.RestartCount}}'), `exited ${n}`);
  await ok(d, ['rm', 'rr']);
});
