// Docker's JSON shapes for `image inspect`, `image ls` and `history`, from an image record and
// its config. Repo tags and digests are shown in familiar form (busybox:latest).
import { parseNormalizedNamed, familiarString } from '../reference/reference.ts';
import type { ImageRecord } from '../metadata/metadata-store.ts';
import type { ImageConfig } from './types.ts';

export const familiar = (ref: string): string => familiarString(parseNormalizedNamed(ref));

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown> | null;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
  Descriptor: { mediaType: string; digest: string; size: number };
}

export function toInspect(r: ImageRecord, cfg: ImageConfig, tags: string[], digests: string[], graph: Record<string, string> | null, manifestSize: number): ImageInspect {
  const c = cfg.config ?? {};
  return {
    Id: r.id,
    RepoTags: tags.map(familiar),
    RepoDigests: digests.map(familiar),
    Parent: r.parent,
    Comment: cfg.comment ?? cfg.history?.at(-1)?.comment ?? '',
    Created: cfg.created ?? r.created,
    DockerVersion: cfg.docker_version ?? '',
    Author: cfg.author ?? '',
    Config: {
      Hostname: '', Domainname: '', User: c.User ?? '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
      ExposedPorts: c.ExposedPorts, Tty: false, OpenStdin: false, StdinOnce: false, Env: c.Env ?? null, Cmd: c.Cmd ?? null,
      Image: '', Volumes: c.Volumes ?? null, WorkingDir: c.WorkingDir ?? '', Entrypoint: c.Entrypoint ?? null,
      OnBuild: null, Labels: c.Labels ?? null, ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    },
    Architecture: cfg.architecture,
    ...(cfg.variant ? { Variant: cfg.variant } : {}),
    Os: cfg.os,
    Size: r.size,
    GraphDriver: { Name: 'overlay2', Data: graph },
    RootFS: { Type: 'layers', Layers: cfg.rootfs.diff_ids },
    Metadata: { LastTagTime: r.lastTagTime || '0001-01-01T00:00:00Z' },
    Descriptor: { mediaType: r.manifestMediaType, digest: r.manifestDigest, size: manifestSize },
  };
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Record<string, string>;
  Containers: number;
}

export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** `docker history`: newest first; layer sizes from the chain sizes, in the order of non-empty entries. */
export function toHistory(id: string, cfg: ImageConfig, tags: string[], layerSizes: number[]): HistoryItem[] {
  const out: HistoryItem[] = [];
  let li = 0;
  const hist = cfg.history?.length ? cfg.history : cfg.rootfs.diff_ids.map(() => ({} as { empty_layer?: boolean; created?: string; created_by?: string; comment?: string }));
  for (const h of hist) {
    const size = h.empty_layer ? 0 : (layerSizes[li++] ?? 0);
    out.push({ Id: '<missing>', Created: Math.floor(Date.parse(h.created ?? cfg.created ?? '1970-01-01T00:00:00Z') / 1000), CreatedBy: h.created_by ?? '', Tags: null, Size: size, Comment: h.comment ?? '' });
  }
  out.reverse();
  if (out[0]) { out[0].Id = id; out[0].Tags = tags.length ? tags.map(familiar) : null; }
  return out;
}
