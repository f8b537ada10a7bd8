// @pure
// OCI seccomp profile → classic BPF for seccomp(SECCOMP_SET_MODE_FILTER), as runc does through
// libseccomp. Layout:
//
//   ld arch; for each extra arch: jeq AUDIT_ARCH → ja its section; jeq native else ret BAD_ARCH
//   native section: ld nr; (x86_64) nr >= X32 bit → x32 section, or BAD_ARCH without x32
//     syscalls in number order: runs of unconditional syscalls sharing an action are `jeq nr`
//     (or a `jge lo; jgt hi` pair for 3+ consecutive numbers) into one `ret action` per run,
//     cut into chunks so that every jt/jf stays ≤ 255; a syscall with argument rules gets a
//     block `jeq nr else skip; rule → ret action; …; ret default`;
//     ret default
//   each further section likewise.
//
// Rule semantics (libseccomp's database, runc's loader):
// - a rule whose action equals the default action is dropped (runc skips it);
// - for one syscall, the first unconditional rule wins over every rule with arguments;
//   otherwise the rules with arguments are tried in profile order, the first that holds decides
//   (arguments within a rule are ANDed), and the default action applies when none holds;
// - names unknown to an architecture are skipped for it, as libseccomp ignores them.
import { internal, invalidArgument } from '../../errors/errors.ts';
import { actionValue, AUDIT_ARCH, BAD_ARCH_ACTION, filterArches, flagBits, X32_SYSCALL_BIT } from './actions.ts';
import type { TableArch } from './actions.ts';
import { emitCondition32, emitCondition64, parseCondition } from './args.ts';
import type { Condition } from './args.ts';
import { Assembler, BPF_JEQ_K, BPF_JGE_K, BPF_JGT_K, BPF_MAXINSNS, encode, SECCOMP_DATA_ARCH, SECCOMP_DATA_NR } from './bpf.ts';
import type { Label } from './bpf.ts';
import { SYSCALLS } from './syscalls.gen.ts';
import type { CompiledSeccomp, NativeArch, SeccompProfile } from './types.ts';

interface Rule { action: number; conds: Condition[] }

interface Entry { nr: number; always?: number; rules: Rule[] }

/** Longest stretch of `jeq` checks sharing one `ret`, so that jt never passes 255. */
const CHUNK = 240;

/** Compiled filters by arch and profile text: every container of a daemon gets the same default
 *  profile, and compiling it costs ~1 ms; the JSON key costs ~0.1 ms. Results are shared: the
 *  caller only reads them. */
const compiled = new Map<string, CompiledSeccomp>();

export function compileSeccomp(profile: SeccompProfile, arch: NativeArch): CompiledSeccomp {
  const key = `${arch}\n${JSON.stringify(profile, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
  let out = compiled.get(key);
  if (!out) {
    out = compileUncached(profile, arch);
    if (compiled.size >= 16) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, out);
  }
  return out;
}

function compileUncached(profile: SeccompProfile, arch: NativeArch): CompiledSeccomp {
  if (!profile || typeof profile.defaultAction !== 'string') throw invalidArgument('seccomp: profile has no defaultAction');
  const defaultAction = actionValue(profile.defaultAction, profile.defaultErrnoRet, 'defaultAction');
  const flags = flagBits(profile.flags);
  const { arches, ignored } = filterArches(profile.architectures, arch);

  const rules: { names: string[]; rule: Rule }[] = [];
  (profile.syscalls ?? []).forEach((s, i) => {
    const where = `syscalls[${i}] (${(s.names ?? []).join(',')})`;
    const action = actionValue(s.action, s.errnoRet, where);
    if ((s.args ?? []).length > 30) throw invalidArgument(`seccomp: ${where}: more than 30 argument comparisons`);
    const conds = (s.args ?? []).map((a) => parseCondition(a, where));
    if (action !== defaultAction) rules.push({ names: s.names ?? [], rule: { action, conds } });
  });

  const skippedByArch: Record<string, string[]> = {};
  const entries = new Map<TableArch, Entry[]>();
  for (const a of arches) {
    const { list, missing } = entriesFor(a, rules);
    entries.set(a, list);
    skippedByArch[a] = missing;
  }
  const skipped = [...new Set(Object.values(skippedByArch).flat())]
    .filter((n) => arches.every((a) => skippedByArch[a].includes(n))).sort();

  const asm = new Assembler();
  asm.load(SECCOMP_DATA_ARCH);
  const sections = new Map<TableArch, Label>();
  for (const a of arches) {
    if (a === arch || a === 'x32') continue; // x32 is reached from the x86_64 section
    const l = asm.label();
    sections.set(a, l);
    asm.jump(BPF_JEQ_K, AUDIT_ARCH[a], null, asm.skip(1));
    asm.ja(l);
  }
  asm.jump(BPF_JEQ_K, AUDIT_ARCH[arch], asm.skip(1), null);
  asm.ret(BAD_ARCH_ACTION);

  const x32 = arches.includes('x32') ? asm.label() : undefined;
  emitSection(asm, arch, entries.get(arch)!, defaultAction, x32);
  for (const a of arches) {
    if (a === arch) continue;
    asm.bind(a === 'x32' ? x32! : sections.get(a)!);
    emitSection(asm, a, entries.get(a)!, defaultAction, undefined);
  }

  const program = asm.instructions();
  if (program.length > BPF_MAXINSNS) {
    throw invalidArgument(`seccomp: the filter needs ${program.length} BPF instructions, more than the kernel's ${BPF_MAXINSNS}`);
  }
  return { filter: encode(program), flags, instructions: program.length, skipped, skippedByArch, ignoredArchitectures: ignored };
}

/** The syscalls of one architecture in number order, with libseccomp's merge of rules. */
function entriesFor(a: TableArch, rules: { names: string[]; rule: Rule }[]): { list: Entry[]; missing: string[] } {
  const table = SYSCALLS[a];
  const byNr = new Map<number, Entry>();
  const missing = new Set<string>();
  for (const { names, rule } of rules) {
    for (const name of names) {
      const nr = Object.hasOwn(table, name) ? table[name] : undefined;
      if (nr === undefined) { missing.add(name); continue; }
      let e = byNr.get(nr);
      if (!e) byNr.set(nr, e = { nr, rules: [] });
      if (e.always !== undefined) continue;
      if (rule.conds.length === 0) { e.always = rule.action; e.rules = []; } else e.rules.push(rule);
    }
  }
  return { list: [...byNr.values()].sort((x, y) => x.nr - y.nr), missing: [...missing].sort() };
}

function emitSection(asm: Assembler, a: TableArch, list: Entry[], defaultAction: number, x32: Label | undefined): void {
  asm.load(SECCOMP_DATA_NR);
  if (a === 'x86_64') {
    asm.jump(BPF_JGE_K, X32_SYSCALL_BIT, null, asm.skip(1));
    if (x32) asm.ja(x32); else asm.ret(BAD_ARCH_ACTION);
  }
  const emitCond = a === 'x86' ? emitCondition32 : emitCondition64;
  for (let i = 0; i < list.length;) {
    const e = list[i];
    if (e.always === undefined) { emitRules(asm, e, defaultAction, emitCond); i++; continue; }
    let j = i;
    while (j < list.length && list[j].always === e.always) j++;
    emitRun(asm, list.slice(i, j).map((x) => x.nr), e.always);
    i = j;
  }
  asm.ret(defaultAction);
}

type Item = [lo: number, hi: number];

/** Unconditional syscalls (ascending numbers) that share `action`. */
function emitRun(asm: Assembler, nrs: number[], action: number): void {
  const items: Item[] = [];
  for (let i = 0; i < nrs.length;) {
    let j = i;
    while (j + 1 < nrs.length && nrs[j + 1] === nrs[j] + 1) j++;
    if (j - i >= 2) { items.push([nrs[i], nrs[j]]); i = j + 1; } else { items.push([nrs[i], nrs[i]]); i++; }
  }
  for (let i = 0; i < items.length;) {
    let size = 0, j = i;
    while (j < items.length && size + cost(items[j]) <= CHUNK) size += cost(items[j++]);
    const ret = asm.label(), after = asm.label();
    for (let k = i; k < j; k++) {
      const [lo, hi] = items[k];
      const miss = k === j - 1 ? after : asm.label();
      if (lo === hi) asm.jump(BPF_JEQ_K, lo, ret, miss);
      else { asm.jump(BPF_JGE_K, lo, null, miss); asm.jump(BPF_JGT_K, hi, miss, ret); }
      if (miss !== after) asm.bind(miss);
    }
    asm.bind(ret);
    asm.ret(action);
    asm.bind(after);
    i = j;
  }
}

const cost = ([lo, hi]: Item): number => (lo === hi ? 1 : 2);

type EmitCond = (asm: Assembler, c: Condition, fail: Label) => void;

/** A syscall with argument rules: every path through the block ends in a `ret`. */
function emitRules(asm: Assembler, e: Entry, defaultAction: number, emitCond: EmitCond): void {
  const body = (out: Assembler): void => {
    for (const r of e.rules) {
      const next = out.label();
      for (const c of r.conds) emitCond(out, c, next);
      out.ret(r.action);
      out.bind(next);
    }
    out.ret(defaultAction);
  };
  const probe = new Assembler();
  body(probe);
  const skip = asm.label();
  if (probe.length <= 255) asm.jump(BPF_JEQ_K, e.nr, null, skip);
  else { asm.jump(BPF_JEQ_K, e.nr, asm.skip(1), null); asm.ja(skip); }
  const start = asm.length;
  body(asm);
  if (asm.length - start !== probe.length) throw internal('seccomp: rule block size changed');
  asm.bind(skip);
}
