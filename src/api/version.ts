// @pure
// Engine API versions berth serves, and Docker's version comparison (dotted numbers).
/** The oldest API version berth accepts (Docker 20.10). */
export const MIN_API_VERSION = '1.41';
/** The newest API version berth serves: `info.version` of the Engine API reference we follow. */
export const MAX_API_VERSION = '1.55';

/** Docker's versions.compare: dotted numeric parts, missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10) || 0;
    const y = Number.parseInt(pb[i] ?? '0', 10) || 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const versionLess = (a: string, b: string): boolean => compareVersions(a, b) < 0;
export const versionAtLeast = (a: string, b: string): boolean => compareVersions(a, b) >= 0;

/**
 * Checks a client's requested version as Docker's version middleware does; returns the error
 * message Docker sends (as a 400) or undefined when the version is served.
 */
export function checkApiVersion(requested: string, min = MIN_API_VERSION, max = MAX_API_VERSION): string | undefined {
  if (versionLess(requested, min)) {
    return `client version ${requested} is too old. Minimum supported API version is ${min}, please upgrade your client to a newer version`;
  }
  if (compareVersions(requested, max) > 0) return `client version ${requested} is too new. Maximum supported API version is ${max}`;
  return undefined;
}

/** The version a client should speak after a /_ping: the lower of its own and the server's. */
export function negotiateVersion(clientMax: string, serverApiVersion: string | undefined): string {
  if (!serverApiVersion) return clientMax;
  return versionLess(serverApiVersion, clientMax) ? serverApiVersion : clientMax;
}
