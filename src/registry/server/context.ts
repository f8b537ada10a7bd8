// What every handler gets: the request, its route and the registry's stores.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../protocol/routes.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { RepoStore } from '../storage/repo-store.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import type { RegistryConfig } from './config.ts';
import type { WriteGate } from './write-gate.ts';

/** Pull-through cache: fills the local store from the upstream before a read is answered. */
export interface Upstream {
  /** Makes `reference` (tag or digest) of `name` present locally if the upstream has it. */
  fetchManifest(name: string, reference: string, signal: AbortSignal): Promise<void>;
  /** Fetches a blob into the local store (linking it into `name`); false if the upstream lacks it. */
  fetchBlob(name: string, digest: string, signal: AbortSignal): Promise<boolean>;
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
