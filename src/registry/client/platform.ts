// @pure
// Platforms (os/arch/variant) and the choice of a manifest from an index or manifest list, as
// containerd's platforms.Only does: exact os+arch, variant matched with arm's defaults and
// fallbacks (arm64 → v8; arm v7 also runs v6 and v5), linux/amd64 on x86_64.
import { invalidArgument, notFound } from '../../errors/errors.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform & { 'os.version'?: string };
  annotations?: Record<string, string>;
}

const ARCH: Record<string, string> = { x64: 'amd64', x86_64: 'amd64', aarch64: 'arm64', ia32: '386', i386: '386', armhf: 'arm', armel: 'arm' };

export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const architecture = ARCH[p.architecture.toLowerCase()] ?? p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() || undefined;
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) variant = undefined;
  if (architecture === 'arm' && !variant) variant = 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** `linux/arm64/v8`, `linux/amd64`, `arm64` (os defaults to linux). */
export function parsePlatform(s: string): Platform {
  const parts = s.trim().split('/');
  if (parts.some((x) => !x) || parts.length > 3) throw invalidArgument(`invalid platform: "${s}"`);
  if (parts.length === 1) return normalizePlatform({ os: 'linux', architecture: parts[0] });
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The platform of this host, from Node's process.arch names. */
export function hostPlatform(nodeArch: string): Platform {
  return normalizePlatform({ os: 'linux', architecture: nodeArch });
}

function variants(p: Platform): (string | undefined)[] {
  if (p.architecture !== 'arm') return [p.variant];
  const order = ['v8', 'v7', 'v6', 'v5'];
  const i = order.indexOf(p.variant ?? 'v7');
  return i < 0 ? [p.variant] : order.slice(i);
}

/** The best entry for `want`, or NotFound with Docker's message. */
export function selectManifest(entries: IndexEntry[], want: Platform): IndexEntry {
  const w = normalizePlatform(want);
  const candidates = entries.filter((e) => e.platform && e.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
  for (const v of variants(w)) {
    const hit = candidates.find((e) => {
      const p = normalizePlatform(e.platform!);
      return p.os === w.os && p.architecture === w.architecture && p.variant === v;
    });
    if (hit) return hit;
  }
  throw notFound(`no matching manifest for ${formatPlatform(w)} in the manifest list entries`);
}
