// What the system endpoints need from the rest of the daemon; the composition root (wire.ts)
// passes one backed by the container and image services. Until then, everything is zero.
export interface SystemCounts {
  containers: number;
  running: number;
  paused: number;
  stopped: number;
  images: number;
}

export interface SystemBackend {
  counts(): Promise<SystemCounts>;
  /** Extra warnings for /info (e.g. "No swap limit support"), optional. */
  warnings?(): string[];
}

export const emptySystemBackend: SystemBackend = {
  counts: async () => ({ containers: 0, running: 0, paused: 0, stopped: 0, images: 0 }),
};
