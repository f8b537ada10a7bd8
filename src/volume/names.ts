// @pure
// Volume names as Docker's local driver accepts them, and the random names of anonymous volumes.
import { invalidArgument } from '../errors/errors.ts';

export const RESTRICTED_NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The label Docker (23+) puts on anonymous volumes; prune without `all` removes only these. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** volume/local validateName, with the store's `create <name>: ` context. */
export function validateVolumeName(name: string): void {
  if (name.length === 1) throw invalidArgument(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  if (!NAME_RE.test(name)) {
    throw invalidArgument(`create ${name}: ${JSON.stringify(name)} includes invalid characters for a local volume name, only "${RESTRICTED_NAME_CHARS}" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

/** 64 hex characters from 32 random bytes (stringid.GenerateRandomID). */
export function anonymousVolumeName(random: Uint8Array): string {
  if (random.length < 32) throw invalidArgument('anonymous volume name needs 32 random bytes');
  return Array.from(random.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join('');
}
