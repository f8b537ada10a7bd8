// @pure
// `docker image prune` filters as moby applies them (daemon/images/image_prune.go): `dangling`
// (default true: only untagged images; false prunes every unused image), `until` (images created
// after the timestamp are kept), `label` (every one must match: key or key=value) and `label!`
// (an image matching every one of them is kept). Other keys are refused.
import { invalidArgument } from '../../errors/errors.ts';
import type { Filters } from '../../api/system-types.ts';
import { parseTimestamp } from './images-filter.ts';

const ACCEPTED = ['dangling', 'label', 'label!', 'until'];

export interface PrunableImage {
  Created: number;
  Labels: Record<string, string>;
}

export interface PruneSelection {
  /** Tagged images too (dangling=false). */
  all: boolean;
  /** Whether the label/until filters let the image be pruned. */
  matches: (img: PrunableImage) => boolean;
}

/** moby's MatchKVList: true when every `key` or `key=value` in `wanted` holds for `labels`. */
function matchAll(wanted: string[], labels: Record<string, string>): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return Object.hasOwn(labels, w);
    const k = w.slice(0, eq);
    return Object.hasOwn(labels, k) && labels[k] === w.slice(eq + 1);
  });
}

export function pruneSelection(f: Filters, now = Date.now()): PruneSelection {
  for (const k of Object.keys(f)) if (!ACCEPTED.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  let all = false;
  const d = f.dangling?.[0];
  if (d !== undefined) {
    const v = d.toLowerCase();
    if (v === 'false' || v === '0') all = true;
    else if (v !== 'true' && v !== '1') throw invalidArgument(`Invalid filter 'dangling=${d}'`);
  }
  if ((f.until?.length ?? 0) > 1) throw invalidArgument('more than one until filter specified');
  const until = f.until?.length ? parseTimestamp(f.until[0], now) : undefined;
  const label = f.label ?? [];
  const notLabel = f['label!'] ?? [];
  return {
    all,
    matches: (img) => {
      if (until !== undefined && img.Created > until) return false;
      if (label.length && !matchAll(label, img.Labels)) return false;
      if (notLabel.length && matchAll(notLabel, img.Labels)) return false;
      return true;
    },
  };
}
