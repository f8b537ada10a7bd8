// Pull-through cache (placeholder until implemented).
import type { Services, Upstream } from '../server/context.ts';
import type { RegistryConfig } from '../server/config.ts';

export function createUpstream(_config: NonNullable<RegistryConfig['proxy']>, _services: Omit<Services, 'upstream'>): Upstream {
  return {
    async fetchManifest() {},
    async fetchBlob() { return false; },
  };
}
