// Compiled seccomp filters checked by the kernel: a python3 child loads the bytes with
// seccomp(SECCOMP_SET_MODE_FILTER) (after PR_SET_NO_NEW_PRIVS, so root is not needed) and then
// makes raw syscalls through ctypes; the test reads back each call's errno, or how the child died.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, arch as osArch } from 'node:os';
import { join } from 'node:path';
import { compileSeccomp, dockerDefaultProfile, resolveDockerProfile } from '../../src/runtime/seccomp/index.ts';
import type { NativeArch, SeccompProfile } from '../../src/runtime/seccomp/index.ts';
import { SYSCALLS } from '../../src/runtime/seccomp/syscalls.gen.ts';
import { DOCKER_DEFAULT_CAPS } from '../../src/runtime/caps/docker-caps.ts';
import { testName } from '../support/requires.ts';

const ARCH: NativeArch | undefined = osArch() === 'x64' ? 'x86_64' : osArch() === 'arm64' ? 'aarch64' : undefined;

function skipReason(): string | false {
  if (!ARCH) return `no syscall table for ${osArch()}`;
  const r = spawnSync('python3', ['-c', 'import ctypes'], { stdio: 'ignore' });
  return r.status === 0 ? false : 'host lacks: python3 with ctypes';
}
const skip = skipReason();

const PY = String.raw`
import ctypes, json, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
filt = bytes.fromhex(sys.argv[1]); flags = int(sys.argv[2]); nr_seccomp = int(sys.argv[3]); calls = json.loads(sys.argv[4])
class Fprog(ctypes.Structure):
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]
buf = ctypes.create_string_buffer(filt, len(filt))
prog = Fprog(len(filt) // 8, ctypes.cast(buf, ctypes.c_void_p))
def arg(a):
    return ctypes.c_char_p(a['str'].encode()) if isinstance(a, dict) else ctypes.c_ulong(int(a))
if libc.prctl(38, 1, 0, 0, 0) != 0:
    sys.exit(90)
if libc.syscall(ctypes.c_long(nr_seccomp), ctypes.c_ulong(1), ctypes.c_ulong(flags), ctypes.byref(prog)) != 0:
    print(json.dumps({'install': ctypes.get_errno()})); sys.exit(91)
out = []
for nr, args in calls:
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[arg(a) for a in args])
    out.append(ctypes.get_errno() if r == -1 else 0)
print(json.dumps(out)); sys.stdout.flush()
`;

type Arg = number | string | { str: string };
type Call = [name: string | number, args: Arg[]];

interface Outcome { errnos?: number[]; signal: NodeJS.Signals | null; status: number | null; stderr: string }

function inChild(profile: SeccompProfile, calls: Call[]): Outcome {
  const c = compileSeccomp(profile, ARCH!);
  const table = SYSCALLS[ARCH!];
  const numeric = calls.map(([n, args]) => [typeof n === 'number' ? n : table[n], args.map((a) => typeof a === 'number' ? String(a) : a)]);
  const r = spawnSync('python3', ['-c', PY, Buffer.from(c.filter).toString('hex'), String(c.flags), String(table.seccomp), JSON.stringify(numeric)], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { errnos: line.startsWith('[') ? JSON.parse(line) : undefined, signal: r.signal, status: r.status, stderr: r.stderr + r.stdout };
}

const EPERM = 1, ENOSYS = 38, EEXIST = 17;

test('a denied mkdir returns the profile errno (ENOSYS); rmdir stays allowed', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), `${testName('seccomp')}-`));
  try {
    const profile: SeccompProfile = { defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_LOG'], syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS }] };
    const o = inChild(profile, [['mkdirat', [-100, { str: join(dir, 'a') }, 0o755]], ['rmdir', [{ str: dir }]]]);
    assert.deepEqual(o.errnos, [ENOSYS, 0], o.stderr);
    assert.equal(existsSync(dir), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('64-bit argument rules see the high word; MASKED_EQ on the kernel', { skip }, () => {
  const profile: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [
      { names: ['getpriority'], action: 'SCMP_ACT_ERRNO', errnoRet: 77, args: [{ index: 1, value: '4294967296', op: 'SCMP_CMP_GE' }] },
      { names: ['getpgid'], action: 'SCMP_ACT_ERRNO', errnoRet: 78, args: [{ index: 0, value: 0xf0, valueTwo: 0x30, op: 'SCMP_CMP_MASKED_EQ' }] },
    ],
  };
  const o = inChild(profile, [
    ['getpriority', [0, 0]], ['getpriority', [0, '4294967296']], ['getpriority', [0, '18446744073709551615']],
    ['getpgid', [0]], ['getpgid', [0x31]], ['getpgid', [0x131]],
  ]);
  assert.deepEqual(o.errnos, [0, 77, 77, 0, 78, 78], o.stderr);
});

test('KILL_PROCESS kills the child with SIGSYS', { skip }, () => {
  const o = inChild({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['getppid'], action: 'SCMP_ACT_KILL_PROCESS' }] }, [['getpid', []], ['getppid', []]]);
  assert.equal(o.signal, 'SIGSYS', o.stderr);
});

test('an x32 syscall number on a filter without x32 is killed (bad arch action)', { skip: skip || (ARCH !== 'x86_64' && 'x86_64 only') }, () => {
  const o = inChild({ defaultAction: 'SCMP_ACT_ALLOW' }, [['getpid', []], [SYSCALLS.x32.getpid, []]]);
  assert.equal(o.signal, 'SIGSYS', o.stderr);
});

test("Docker's default profile with Docker's default caps, on the kernel", { skip }, () => {
  const profile = resolveDockerProfile(dockerDefaultProfile(), { caps: [...DOCKER_DEFAULT_CAPS], arch: ARCH! });
  const CLONE_NEWUSER = 0x10000000, CLONE_NEWNS = 0x20000;
  const o = inChild(profile, [
    ['getpid', []], ['personality', ['4294967295']], ['personality', [1]],
    ['unshare', [CLONE_NEWUSER]], ['clone3', [0, 0]], ['mount', [0, 0, 0, 0, 0]],
    ['socket', [40, 1, 0]], ['mkdirat', [-100, { str: '/' }, 0o755]], ['clone', [CLONE_NEWNS | 17, 0, 0, 0, 0]],
  ]);
  assert.deepEqual(o.errnos, [0, 0, EPERM, EPERM, ENOSYS, EPERM, EPERM, EEXIST, EPERM], o.stderr);
});

test("Docker's default profile lets x32 syscalls through to the kernel (x32 listed)", { skip: skip || (ARCH !== 'x86_64' && 'x86_64 only') }, () => {
  const profile = resolveDockerProfile(dockerDefaultProfile(), { caps: [...DOCKER_DEFAULT_CAPS], arch: 'x86_64' });
  const o = inChild(profile, [[SYSCALLS.x32.getpid, []], [SYSCALLS.x32.mount, [0, 0, 0, 0, 0]]]);
  assert.equal(o.signal, null, o.stderr);
  // getpid answers (or ENOSYS from a kernel built without CONFIG_X86_X32_ABI); mount is refused by the filter.
  assert.ok(o.errnos && [0, ENOSYS].includes(o.errnos[0]) && o.errnos[1] === EPERM, o.stderr);
});
