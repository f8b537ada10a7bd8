// @pure
// Checks a parsed config.json before anything touches the kernel. Every problem is an
// InvalidArgument naming the field, so a bad bundle fails early and leaves nothing behind.
import { invalidArgument } from '../../errors/errors.ts';
import type { Spec, NamespaceType } from './types.ts';

const NAMESPACES: readonly NamespaceType[] = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];

function fail(msg: string): never {
  throw invalidArgument(`invalid config.json: ${msg}`);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStrings(v: unknown, field: string): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(`${field} must be an array of strings`);
}

function checkId(v: unknown, field: string): void {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xffffffff) fail(`${field} must be an unsigned 32-bit integer`);
}

export function validateSpec(raw: unknown): Spec {
  if (!isObj(raw)) fail('the top level must be an object');
  if (typeof raw.ociVersion !== 'string' || !/^1\.\d+\.\d+/.test(raw.ociVersion)) fail(`unsupported ociVersion ${JSON.stringify(raw.ociVersion)}; berth runs 1.x`);
  if (!isObj(raw.root) || typeof raw.root.path !== 'string' || raw.root.path === '') fail('root.path is required');

  const p = raw.process;
  if (!isObj(p)) fail('process is required');
  checkStrings(p.args, 'process.args');
  if (!Array.isArray(p.args) || p.args.length === 0) fail('process.args must not be empty');
  checkStrings(p.env, 'process.env');
  if (typeof p.cwd !== 'string' || !p.cwd.startsWith('/')) fail(`process.cwd must be an absolute path, got ${JSON.stringify(p.cwd)}`);
  if (!isObj(p.user)) fail('process.user is required');
  checkId(p.user.uid, 'process.user.uid');
  checkId(p.user.gid, 'process.user.gid');
  if (p.user.additionalGids !== undefined) {
    if (!Array.isArray(p.user.additionalGids)) fail('process.user.additionalGids must be an array');
    p.user.additionalGids.forEach((g, i) => checkId(g, `process.user.additionalGids[${i}]`));
  }
  if (isObj(p.capabilities)) {
    for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient']) checkStrings(p.capabilities[set], `process.capabilities.${set}`);
  }
  if (p.rlimits !== undefined) {
    if (!Array.isArray(p.rlimits)) fail('process.rlimits must be an array');
    for (const r of p.rlimits) {
      if (!isObj(r) || typeof r.type !== 'string') fail('process.rlimits entries need a type');
      if (typeof r.soft !== 'number' || typeof r.hard !== 'number') fail(`rlimit ${r.type}: soft and hard must be numbers`);
      if (r.soft > r.hard) fail(`rlimit ${r.type}: soft limit ${r.soft} is above the hard limit ${r.hard}`);
    }
  }

  if (raw.mounts !== undefined) {
    if (!Array.isArray(raw.mounts)) fail('mounts must be an array');
    raw.mounts.forEach((m, i) => {
      if (!isObj(m) || typeof m.destination !== 'string') fail(`mounts[${i}].destination is required`);
      if (!m.destination.startsWith('/')) fail(`mounts[${i}].destination ${JSON.stringify(m.destination)} must be an absolute path`);
      checkStrings(m.options, `mounts[${i}].options`);
    });
  }

  const linux = raw.linux;
  if (linux !== undefined) {
    if (!isObj(linux)) fail('linux must be an object');
    const seen = new Set<string>();
    if (linux.namespaces !== undefined) {
      if (!Array.isArray(linux.namespaces)) fail('linux.namespaces must be an array');
      for (const ns of linux.namespaces) {
        if (!isObj(ns) || typeof ns.type !== 'string') fail('linux.namespaces entries need a type');
        if (!NAMESPACES.includes(ns.type as NamespaceType)) fail(`unknown namespace type ${JSON.stringify(ns.type)}`);
        if (seen.has(ns.type)) fail(`namespace ${ns.type} listed twice`);
        seen.add(ns.type);
        if (ns.path !== undefined && (typeof ns.path !== 'string' || !ns.path.startsWith('/'))) fail(`namespace ${ns.type}: path must be absolute`);
      }
    }
    const userNs = (linux.namespaces as { type: string; path?: string }[] | undefined)?.find((n) => n.type === 'user');
    for (const key of ['uidMappings', 'gidMappings'] as const) {
      const maps = linux[key];
      if (maps === undefined) continue;
      if (!Array.isArray(maps)) fail(`linux.${key} must be an array`);
      maps.forEach((m, i) => ['containerID', 'hostID', 'size'].forEach((f) => checkId(isObj(m) ? m[f] : undefined, `linux.${key}[${i}].${f}`)));
    }
    if (userNs && !userNs.path && (!Array.isArray(linux.uidMappings) || !Array.isArray(linux.gidMappings) || linux.uidMappings.length === 0 || linux.gidMappings.length === 0)) {
      fail('a new user namespace needs linux.uidMappings and linux.gidMappings');
    }
    if (!userNs && (Array.isArray(linux.uidMappings) && linux.uidMappings.length > 0)) fail('linux.uidMappings given without a user namespace');
    checkStrings(linux.maskedPaths, 'linux.maskedPaths');
    checkStrings(linux.readonlyPaths, 'linux.readonlyPaths');
    for (const key of ['maskedPaths', 'readonlyPaths'] as const) {
      for (const path of (linux[key] as string[] | undefined) ?? []) if (!path.startsWith('/')) fail(`linux.${key}: ${JSON.stringify(path)} must be an absolute path`);
    }
    if (linux.devices !== undefined) {
      if (!Array.isArray(linux.devices)) fail('linux.devices must be an array');
      for (const d of linux.devices) {
        if (!isObj(d) || typeof d.path !== 'string' || !d.path.startsWith('/dev/')) fail('linux.devices entries need a path under /dev/');
        if (!['c', 'b', 'u', 'p'].includes(d.type as string)) fail(`device ${d.path}: unknown type ${JSON.stringify(d.type)}`);
      }
    }
    if (linux.sysctl !== undefined && !isObj(linux.sysctl)) fail('linux.sysctl must be an object');
    if (linux.sysctl && !seen.has('network') && Object.keys(linux.sysctl).some((k) => k.startsWith('net.'))) {
      fail('sysctl net.* needs a network namespace of the container\'s own');
    }
  }
  if (raw.hostname !== undefined && raw.hostname !== '') {
    const hasUts = isObj(linux) && Array.isArray(linux.namespaces) && linux.namespaces.some((n) => isObj(n) && n.type === 'uts');
    if (!hasUts) fail('hostname needs a uts namespace of the container\'s own');
  }
  return raw as unknown as Spec;
}
