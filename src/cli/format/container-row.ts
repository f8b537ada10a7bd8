// @pure
// Docker's ContainerContext: the columns of `ps` from a /containers/json item, with its
// truncation rules (12-char ids, 20-char commands with an ellipsis, names without link paths).
import { humanDuration, humanSize } from './human-units.ts';
import { displayablePorts, type ApiPort } from './ports.ts';
import { goTimeString } from './go-time.ts';

export interface ApiContainer {
  Id: string; Names?: string[]; Image?: string; ImageID?: string; Command?: string; Created?: number;
  Ports?: ApiPort[]; Labels?: Record<string, string> | null; State?: string; Status?: string;
  SizeRw?: number; SizeRootFs?: number;
  Mounts?: { Name?: string; Source?: string; Type?: string }[];
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
  ImageManifestDescriptor?: { platform?: unknown };
}

export const PS_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
export const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS',
  State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES',
  Networks: 'NETWORKS', Platform: 'PLATFORM',
};

export function truncateId(id: string): string {
  const i = id.indexOf(':');
  return (i >= 0 ? id.slice(i + 1) : id).slice(0, 12);
}

/** Docker's formatter.Ellipsis for ASCII and runes (display width counted in runes). */
export function ellipsis(s: string, max: number): string {
  const rs = [...s];
  if (max <= 0) return '';
  if (max === 1) return rs[0] ?? '';
  if (rs.length <= max) return s;
  return `${rs.slice(0, max - 1).join('')}…`;
}

/** Go's strconv.Quote for the common cases (control characters escaped, unicode kept). */
export function goQuote(s: string): string {
  return `"${s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    const m: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
    return m[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  })}"`;
}

/** The IMAGE column: digests dropped unless --no-trunc; an image id shown short. */
export function imageColumn(image: string | undefined, imageId: string | undefined, trunc: boolean): string {
  if (!image) return '<no image>';
  if (!trunc) return image;
  if (imageId && truncateId(imageId) === truncateId(image)) return truncateId(image);
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(0, at) : image;
}

export function containerRow(c: ApiContainer, o: { trunc: boolean; now: number }): Record<string, unknown> {
  let names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  if (o.trunc) {
    const top = names.find((n) => !n.includes('/'));
    if (top !== undefined) names = [top];
  }
  const created = (c.Created ?? 0) * 1000;
  const srw = humanSize(c.SizeRw ?? 0);
  const labels = Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const mounts = (c.Mounts ?? []).map((m) => {
    const name = m.Name || m.Source || '';
    return o.trunc && m.Name ? ellipsis(name, 15) : name;
  });
  return {
    Command: goQuote(o.trunc ? ellipsis(c.Command ?? '', 20) : c.Command ?? ''),
    CreatedAt: goTimeString(created),
    ID: o.trunc ? truncateId(c.Id) : c.Id,
    Image: imageColumn(c.Image, c.ImageID, o.trunc),
    Labels: labels,
    /** {{.Label "key"}}: one label's value, "" when there is none (a method in docker's row type). */
    Label: (key: unknown) => c.Labels?.[String(key)] ?? '',
    LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Type === 'volume').length),
    Mounts: mounts.join(','),
    Names: names.join(','),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: c.ImageManifestDescriptor?.platform ?? null,
    Ports: displayablePorts(c.Ports ?? []),
    RunningFor: `${humanDuration(Math.max(0, o.now - created))} ago`,
    Size: (c.SizeRootFs ?? 0) > 0 ? `${srw} (virtual ${humanSize(c.SizeRootFs!)})` : srw,
    State: c.State ?? '',
    Status: c.Status ?? '',
  };
}
