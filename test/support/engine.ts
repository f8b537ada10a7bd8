// An engine for tests: data and exec roots under /tmp/<testName>, a busybox image imported from
// the fixture rootfs (as `busybox:latest`), container cgroups beneath this process's own.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/daemon/engine.ts';
import type { ContainerEvent } from '../../src/container/service/ports.ts';
import { busyboxRootfs } from './bundle.ts';
import { testName } from './requires.ts';

export interface TestEngine { engine: Engine; root: string; events: ContainerEvent[]; cleanup(): Promise<void> }

export async function importBusybox(engine: Engine, ref = 'busybox:latest'): Promise<string> {
  const tar = spawn('tar', ['-C', busyboxRootfs(), '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return engine.images.import(tar.stdout, { ref, changes: ['CMD ["sh"]'] });
}

/** Network names of a test engine: its own bridge prefix and nft table, no ip_forward change. */
export function testNetworkEnv(root: string): NodeJS.ProcessEnv {
  const tag = root.slice(-6).replace(/[^a-z0-9]/g, '0');
  return { ...process.env, BERTH_LINK_PREFIX: `bt-${tag}`, BERTH_NFT_TABLE: `berth_test_${tag}`, BERTH_IP_FORWARD: '0' };
}

export async function makeEngine(): Promise<TestEngine> {
  const root = join('/tmp', testName('engine'));
  mkdirSync(root, { recursive: true });
  const events: ContainerEvent[] = [];
  const engine = createEngine({ dataRoot: join(root, 'data'), execRoot: join(root, 'exec'), events: { publish: (e) => events.push(e) }, env: testNetworkEnv(root) });
  await engine.containers.restore();
  return {
    engine, root, events,
    async cleanup() {
      for (const rec of [...engine.containers.records.values()]) await engine.containers.remove(rec.ID, { force: true }).catch(() => {});
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
