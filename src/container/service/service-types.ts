// The container service's dependencies and the create request body.
import type { ContainerStore } from '../store.ts';
import type { ContainerConfig, HostConfig } from '../docker-types.ts';
import type { NetworkingConfig } from '../network-settings.ts';
import type { EventSink, HostFacts, ImagePort, NetworkPort, RuntimePort, VolumePort } from './ports.ts';

export interface ServiceDeps {
  store: ContainerStore;
  runtime: RuntimePort;
  images: ImagePort;
  events: EventSink;
  execRoot: string;             // bundles, rootfs mount points, attach sockets
  facts: HostFacts;
  /** Named/anonymous volumes; without it, containers with volumes are refused. */
  volumes?: VolumePort;
  /** Networks (netns, endpoints, ports, /etc files); without it, containers get a bare netns. */
  network?: NetworkPort;
}

export interface CreateBody extends ContainerConfig { HostConfig?: HostConfig; NetworkingConfig?: NetworkingConfig }
