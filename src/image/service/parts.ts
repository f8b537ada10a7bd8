// What the image service's operations share: the stores, and in-flight unpacks.
import type { ContentStore } from '../content/content-store.ts';
import type { MetadataStore } from '../metadata/metadata-store.ts';
import type { OverlaySnapshotter } from '../snapshot/snapshotter.ts';

export interface ServiceParts {
  root: string;
  content: ContentStore;
  meta: MetadataStore;
  snapshots: OverlaySnapshotter;
  inflight: Map<string, Promise<void>>;
}
