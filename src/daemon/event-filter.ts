// @pure
// Docker's event filters (daemon/events/filter.go): every given filter must match; names match
// an actor's ID or its `name` attribute by prefix, images also by name without the tag.
import type { EventMessage, Filters } from '../api/system-types.ts';

const has = (f: Filters, k: string) => (f[k]?.length ?? 0) > 0;
const exact = (f: Filters, k: string, v: string | undefined) => !has(f, k) || (v !== undefined && f[k].includes(v));
const fuzzy = (f: Filters, k: string, v: string | undefined) =>
  !has(f, k) || (v !== undefined && f[k].some((x) => v === x || v.startsWith(x)));

function stripTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(0, at);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}

function matchName(f: Filters, key: string, ev: EventMessage): boolean {
  if (!has(f, key)) return true;
  return fuzzy(f, key, ev.Actor.ID) || fuzzy(f, key, ev.Actor.Attributes.name);
}

function matchEvent(f: Filters, action: string): boolean {
  if (!has(f, 'event')) return true;
  // `exec_start: sh -c …` is matched by `exec_start`, as Docker does.
  const colon = action.indexOf(':');
  return f.event.includes(action) || (colon > 0 && f.event.includes(action.slice(0, colon)));
}

function matchImage(f: Filters, ev: EventMessage): boolean {
  if (!has(f, 'image')) return true;
  const name = ev.Actor.Attributes[ev.Type === 'image' ? 'name' : 'image'] ?? '';
  return [ev.Actor.ID, name, stripTag(ev.Actor.ID), stripTag(name)].some((v) => v !== '' && f.image.includes(v));
}

function matchLabels(f: Filters, attrs: Record<string, string>): boolean {
  if (!has(f, 'label')) return true;
  return f.label.every((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? l in attrs : attrs[l.slice(0, eq)] === l.slice(eq + 1);
  });
}

export function eventMatches(f: Filters, ev: EventMessage): boolean {
  return matchEvent(f, ev.Action)
    && exact(f, 'type', ev.Type)
    && exact(f, 'scope', ev.scope)
    && ['daemon', 'container', 'plugin', 'volume', 'network', 'node', 'service', 'secret', 'config'].every((k) => matchName(f, k, ev))
    && matchImage(f, ev)
    && matchLabels(f, ev.Actor.Attributes);
}

/** Docker's timetypes.ParseTimestamps: `seconds[.nanoseconds]` → nanoseconds; '' → undefined. */
export function parseEventTime(v: string | undefined): bigint | undefined {
  if (v === undefined || v === '') return undefined;
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) throw new Error(`invalid timestamp ${JSON.stringify(v)}`);
  const sec = BigInt(m[1]);
  const nsec = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return sec * 1_000_000_000n + (sec < 0n ? -nsec : nsec);
}
