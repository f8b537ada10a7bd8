// @pure
// A volume as berth keeps it, and Docker's JSON shape for it (api/types/volume.Volume).
import { isoTime } from '../sys/iso-time.ts';

export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  /** RFC 3339, seconds. */
  CreatedAt: string;
  Labels: Record<string, string> | null;
  /** The driver options (type/device/o); null when none were given. */
  Options: Record<string, string> | null;
}

export interface VolumeView {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
  UsageData?: { RefCount: number; Size: number };
}

export function volumeView(v: VolumeRecord, mountpoint: string): VolumeView {
  return { CreatedAt: v.CreatedAt, Driver: v.Driver, Labels: v.Labels, Mountpoint: mountpoint, Name: v.Name, Options: v.Options, Scope: 'local' };
}

/** Go's time.RFC3339 (seconds) in UTC. */
export function rfc3339Seconds(d: Date): string {
  return isoTime(d).slice(0, 19) + 'Z';
}
