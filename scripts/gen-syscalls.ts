// node scripts/gen-syscalls.ts [--check]
// Generates src/runtime/seccomp/syscalls.gen.ts (syscall name → number for x86_64, x86, x32
// and aarch64) from this machine's kernel headers (Debian package linux-libc-dev):
//   x86_64, x86, x32: /usr/include/x86_64-linux-gnu/asm/unistd_{64,32,x32}.h
//   aarch64: /usr/include/asm-generic/unistd.h evaluated with arm64's __ARCH_WANT_* set
//            (arch/arm64/include/uapi/asm/unistd.h), __BITS_PER_LONG 64.
// With --check, exits 1 when the committed file differs from what the headers give.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'src/runtime/seccomp/syscalls.gen.ts');
const INC = '/usr/include';

type Macros = Map<string, string>;

// Not syscalls: the count and asm-generic's start of the arch-specific range.
const PLACEHOLDERS = new Set(['__NR_syscalls', '__NR_arch_specific_syscall']);

/** Evaluates a preprocessor expression: integers, macros, defined(X), ! && || == != + ( ). */
function evaluate(expr: string, macros: Macros, depth = 0): number {
  if (depth > 20) throw new Error(`macro recursion in ${expr}`);
  const tokens = expr.match(/0x[0-9a-fA-F]+|\d+|[A-Za-z_]\w*|&&|\|\||==|!=|[!()+]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const primary = (): number => {
    const t = next();
    if (t === '(') { const v = or(); next(); return v; }
    if (t === '!') return primary() ? 0 : 1;
    if (t === 'defined') {
      const paren = peek() === '(';
      if (paren) next();
      const name = next();
      if (paren) next();
      return macros.has(name) ? 1 : 0;
    }
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return Number(t);
    const v = macros.get(t);
    return v === undefined || v === '' ? 0 : evaluate(v, macros, depth + 1);
  };
  const sum = (): number => { let v = primary(); while (peek() === '+') { next(); v += primary(); } return v; };
  const eq = (): number => {
    let v = sum();
    while (peek() === '==' || peek() === '!=') { const op = next(); const r = sum(); v = (op === '==') === (v === r) ? 1 : 0; }
    return v;
  };
  const and = (): number => { let v = eq(); while (peek() === '&&') { next(); const r = eq(); v = v && r ? 1 : 0; } return v; };
  const or = (): number => { let v = and(); while (peek() === '||') { next(); const r = and(); v = v || r ? 1 : 0; } return v; };
  return or();
}

/** Runs the conditional directives of a header and returns its __NR_<name> numbers. */
export function syscallsOf(text: string, predefined: Record<string, string>): Record<string, number> {
  const macros: Macros = new Map(Object.entries(predefined));
  const lines = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\\\n/g, ' ').split('\n');
  const stack: { active: boolean; taken: boolean; parent: boolean }[] = [];
  const active = () => stack.every((s) => s.active);
  const names: string[] = [];
  for (const raw of lines) {
    const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(raw);
    if (!m) continue;
    const [, directive, rest] = m;
    const arg = rest.trim();
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      const parent = active();
      const cond = directive === 'if' ? evaluate(arg, macros) !== 0 : (macros.has(arg) === (directive === 'ifdef'));
      stack.push({ active: parent && cond, taken: cond, parent });
    } else if (directive === 'elif') {
      const top = stack[stack.length - 1];
      const cond = !top.taken && evaluate(arg, macros) !== 0;
      top.active = top.parent && cond;
      top.taken ||= cond;
    } else if (directive === 'else') {
      const top = stack[stack.length - 1];
      top.active = top.parent && !top.taken;
      top.taken = true;
    } else if (directive === 'endif') {
      stack.pop();
    } else if (!active()) {
      continue;
    } else if (directive === 'define') {
      const d = /^(\w+)(?:\s+(.*))?$/.exec(arg);
      if (!d || /^\w+\(/.test(arg)) continue;  // function-like macros are not numbers
      macros.set(d[1], (d[2] ?? '').trim());
      if (d[1].startsWith('__NR_') && !PLACEHOLDERS.has(d[1])) names.push(d[1]);
    } else if (directive === 'undef') {
      macros.delete(arg);
    }
  }
  const out: Record<string, number> = {};
  for (const n of names) if (macros.has(n)) out[n.slice(5)] = evaluate(macros.get(n)!, macros);
  return out;
}

// arch/arm64/include/uapi/asm/unistd.h (Linux 6.1)
const ARM64_WANTS = ['__ARCH_WANT_RENAMEAT', '__ARCH_WANT_NEW_STAT', '__ARCH_WANT_SET_GET_RLIMIT',
  '__ARCH_WANT_TIME32_SYSCALLS', '__ARCH_WANT_SYS_CLONE3', '__ARCH_WANT_MEMFD_SECRET'];

// Syscalls newer than Linux 6.1 headers (Debian 12's linux-libc-dev), which kernels this
// engine runs on have: since Linux 5.1 new syscalls take the same number on every architecture
// (x32 adds its bit), so they are added here when the installed headers lack them; Docker's
// profile allows them, and a filter that answers EPERM instead of ENOSYS breaks glibc fallbacks.
const LATER: Record<string, number> = {
  cachestat: 451, fchmodat2: 452, map_shadow_stack: 453, futex_wake: 454, futex_wait: 455,
  futex_requeue: 456, statmount: 457, listmount: 458, lsm_get_self_attr: 459, lsm_set_self_attr: 460,
  lsm_list_modules: 461, mseal: 462, setxattrat: 463, getxattrat: 464, listxattrat: 465,
  removexattrat: 466, open_tree_attr: 467, file_getattr: 468, file_setattr: 469,
};
// Arch-specific ones past the headers: x86_64's uretprobe (Linux 6.11, syscall_64.tbl).
const LATER_X86_64: Record<string, number> = { uretprobe: 335 };

function withLater(table: Record<string, number>, base: number, extra: Record<string, number> = {}): Record<string, number> {
  const out = { ...table };
  for (const [name, nr] of Object.entries({ ...LATER, ...extra })) if (!(name in out)) out[name] = base + nr;
  return out;
}

function render(): string {
  const x86dir = `${INC}/x86_64-linux-gnu/asm`;
  const tables: Record<string, Record<string, number>> = {
    x86_64: withLater(syscallsOf(readFileSync(`${x86dir}/unistd_64.h`, 'utf8'), {}), 0, LATER_X86_64),
    x86: withLater(syscallsOf(readFileSync(`${x86dir}/unistd_32.h`, 'utf8'), {}), 0),
    x32: withLater(syscallsOf(readFileSync(`${x86dir}/unistd_x32.h`, 'utf8'), { __X32_SYSCALL_BIT: '0x40000000' }), 0x40000000),
    aarch64: withLater(syscallsOf(readFileSync(`${INC}/asm-generic/unistd.h`, 'utf8'),
      { __BITS_PER_LONG: '64', ...Object.fromEntries(ARM64_WANTS.map((w) => [w, ''])) }), 0),
  };
  const version = /LINUX_VERSION_MAJOR (\d+)\s+#define LINUX_VERSION_PATCHLEVEL (\d+)\s+#define LINUX_VERSION_SUBLEVEL (\d+)/
    .exec(readFileSync(`${INC}/linux/version.h`, 'utf8'));
  const from = version ? `Linux ${version[1]}.${version[2]}.${version[3]} headers` : 'the installed kernel headers';
  let s = `// @pure\n// GENERATED by scripts/gen-syscalls.ts from ${from}; do not edit.\n`;
  s += '// Syscall name → number per seccomp architecture (x32 numbers include __X32_SYSCALL_BIT),\n';
  s += '// plus the syscalls of later kernels listed in the generator (same number on every arch).\n\n';
  s += 'export const SYSCALLS: Readonly<Record<\'x86_64\' | \'x86\' | \'x32\' | \'aarch64\', Readonly<Record<string, number>>>> = {\n';
  for (const [arch, table] of Object.entries(tables)) {
    s += `  ${arch}: {\n`;
    for (const [name, nr] of Object.entries(table).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))) {
      s += `    ${name}: ${arch === 'x32' ? `0x40000000 + ${nr - 0x40000000}` : nr},\n`;
    }
    s += '  },\n';
  }
  return `${s}};\n`;
}

if (import.meta.main) {
  const text = render();
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error(`${OUT} is out of date: run node scripts/gen-syscalls.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT}`);
  }
}
