// What every handler gets: the request, its route and the registry's stores.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Route } from '../protocol/routes.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { RepoStore } from '../storage/repo-store.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import type { RegistryConfig } from './config.ts';
import type { WriteGate } from './write-gate.ts';

/** A blob the pull-through cache is serving while (or after) fetching it. */
export interface UpstreamBlob {
  /** Undefined when the upstream did not say (the response is then sent chunked). */
  size?: number;
  /** Bytes [start, end] (inclusive), or all. */
  stream(range?: { start: number; end: number }): Readable;
}

/** Pull-through cache: fills the local store from the upstream as reads need it. */
export interface Upstream {
  /** Makes `reference` (tag or digest) of `name` present locally if the upstream has it; a tag is re-checked upstream. */
  fetchManifest(name: string, reference: string, signal: AbortSignal): Promise<void>;
  /** The upstream's answer to HEAD of a blob missing here: its size, or undefined when it lacks it. */
  statBlob(name: string, digest: string, signal: AbortSignal): Promise<{ size?: number } | undefined>;
  /** Fetches a blob missing here (one download shared by concurrent callers), streaming it as it comes; undefined when the upstream lacks it. */
  openBlob(name: string, digest: string, signal: AbortSignal): Promise<UpstreamBlob | undefined>;
  /** The upstream's tag list page for `query` (`?n=&last=`); undefined: answer from the cache. */
  tags(name: string, query: string, signal: AbortSignal): Promise<{ tags: string[]; link?: string } | undefined>;
  /** Settles when the cache fills begun so far are over (downloads, links): for a clean close. */
  idle?(): Promise<void>;
}

export interface Services {
  config: RegistryConfig;
  blobs: BlobStore;
  uploads: UploadStore;
  repos: RepoStore;
  gate: WriteGate;
  upstream?: Upstream;
}

export interface Ctx<R extends Route = Route> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: R;
  services: Services;
  /** Whether the caller may pull from another repository (cross-repository mounts). */
  canPull(name: string): boolean;
  signal: AbortSignal;
}
