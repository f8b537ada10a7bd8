// @pure
// The local driver's options (volume/local/local_unix.go): `type`, `device`, `o` (and `size`,
// which needs project quotas berth does not set up). A volume with options is mounted with
// mount(8) at its first user and unmounted when its last user goes.
import { invalidArgument } from '../errors/errors.ts';

const VALID = new Set(['type', 'device', 'o', 'size']);
const MANDATORY: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

/** Docker's opts.json (optsConfig). */
export interface MountOpts { MountType: string; MountOpts: string; MountDevice: string; Quota: { Size: number } }

export function validateDriverOptions(opts: Record<string, string> | null | undefined): void {
  if (!opts) return;
  for (const k of Object.keys(opts)) if (!VALID.has(k)) throw invalidArgument(`invalid option: ${JSON.stringify(k)}`);
  if ('size' in opts) throw invalidArgument('quota size requested but no quota support');
  for (const [k, req] of Object.entries(MANDATORY)) {
    if (!(k in opts)) continue;
    for (const r of req) if (!(r in opts)) throw invalidArgument(`missing required option: ${JSON.stringify(r)}`);
  }
}

export function mountOptsOf(opts: Record<string, string> | null | undefined): MountOpts | undefined {
  if (!opts || !Object.keys(opts).length) return undefined;
  return { MountType: opts.type ?? '', MountOpts: opts.o ?? '', MountDevice: opts.device ?? '', Quota: { Size: 0 } };
}

/** Whether the volume needs a mount of its own (volume/local needsMount). */
export function needsMount(o: MountOpts | undefined): o is MountOpts {
  return !!o && (o.MountType !== '' || o.MountDevice !== '');
}

/** The mount(8) arguments that put the volume's device on `target`. */
export function mountArgs(o: MountOpts, target: string): string[] {
  if (!o.MountDevice) throw invalidArgument('missing device in volume options');
  const args = ['-t', o.MountType || 'none'];
  if (o.MountOpts) args.push('-o', o.MountOpts);
  args.push('--', o.MountDevice, target);
  return args;
}

/** The message shown instead of an error that names a cifs password. */
export function redactPassword(msg: string, o: MountOpts): string {
  const pw = /(?:^|,)password=([^,]*)/.exec(o.MountOpts)?.[1];
  return pw ? msg.replace(`password=${pw}`, 'password=********') : msg;
}
