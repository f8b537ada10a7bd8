import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IP_BATCH, NetApplier, type CommandInput, type CommandRunner } from './apply.ts';

/** A runner that records each command and what reaches its stdin, chunk by chunk, as a process would read it. */
function recorder() {
  const calls: { cmd: string; args: string[]; stdin: string[] }[] = [];
  const run: CommandRunner = async (cmd, args, input: CommandInput) => {
    const call = { cmd, args, stdin: [] as string[] };
    calls.push(call);
    for (const chunk of Array.isArray(input) ? input : [input]) call.stdin.push(await chunk);
    return { code: call.stdin[0] === '' ? 1 : 0, stdout: '', stderr: '' }; // sh's `read` fails on an empty stdin
  };
  return { calls, run };
}

test('startInNetns: sh waits for the netns path, then nsenter and the command read the input', async () => {
  const r = recorder();
  const a = new NetApplier({ run: r.run });
  const s = a.startInNetns(IP_BATCH);
  assert.equal(r.calls.length, 1);
  assert.deepEqual(r.calls[0].args.slice(2), ['sh', 'ip', '-batch', '-']);
  assert.match(r.calls[0].args[1], /read -r ns && exec nsenter --net="\$ns" "\$@"/);
  s.enter('/proc/42/ns/net');
  await s.finish('link set dev lo up\n');
  assert.deepEqual(r.calls[0].stdin, ['/proc/42/ns/net\n', 'link set dev lo up\n']);
  assert.equal(a.hostNetnsPath, '/proc/self/ns/net');
  assert.equal(new NetApplier({ hostNetns: 'h1' }).hostNetnsPath, '/run/netns/h1');
});

test('warm: idle processes made ahead are taken without a new one; cancel and close end them doing nothing', async () => {
  const r = recorder();
  const a = new NetApplier({ run: r.run, warm: true });
  a.warmUp(IP_BATCH, 2);
  assert.equal(a.processes, 2);
  const s1 = a.startInNetns(IP_BATCH);
  const s2 = a.startInNetns(IP_BATCH);
  assert.equal(a.processes, 2, 'both taken from the idle ones');
  const s3 = a.startInNetns(IP_BATCH);
  assert.equal(a.processes, 3, 'none idle left: a new one');
  s1.enter('/proc/1/ns/net');
  await s1.finish('');
  await s2.cancel();
  await s3.cancel();
  assert.deepEqual(r.calls[1].stdin, ['', '']);
  await a.close();
  assert.equal(a.processes, 3, 'closed: none made again');
  const cold = new NetApplier({ run: recorder().run });
  cold.warmUp(IP_BATCH, 2);
  assert.equal(cold.processes, 0, 'warmUp does nothing without `warm`');
});
