// @pure
// One descriptor per Engine API endpoint, shared by the daemon (which registers a handler under
// each name) and the client (which builds requests from them), so the two cannot drift.
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface Endpoint {
  /** Handler name, unique: `ContainerCreate`. */
  name: string;
  method: HttpMethod;
  /** Path pattern without the `/v1.xx` prefix; `{name}` is a parameter, `{path*}` takes the rest. */
  path: string;
  /** Whether the response may be a hijacked raw stream (attach, exec start). */
  hijack?: boolean;
}

const e = (name: string, method: HttpMethod, path: string, extra: Partial<Endpoint> = {}): Endpoint => ({ name, method, path, ...extra });

export const ENDPOINTS = [
  // system
  e('SystemPing', 'GET', '/_ping'),
  e('SystemPingHead', 'HEAD', '/_ping'),
  e('SystemVersion', 'GET', '/version'),
  e('SystemInfo', 'GET', '/info'),
  e('SystemEvents', 'GET', '/events'),
  e('SystemDataUsage', 'GET', '/system/df'),
  e('SystemAuth', 'POST', '/auth'),
  // containers
  e('ContainerList', 'GET', '/containers/json'),
  e('ContainerCreate', 'POST', '/containers/create'),
  e('ContainerInspect', 'GET', '/containers/{id}/json'),
  e('ContainerTop', 'GET', '/containers/{id}/top'),
  e('ContainerLogs', 'GET', '/containers/{id}/logs'),
  e('ContainerChanges', 'GET', '/containers/{id}/changes'),
  e('ContainerExport', 'GET', '/containers/{id}/export'),
  e('ContainerStats', 'GET', '/containers/{id}/stats'),
  e('ContainerResize', 'POST', '/containers/{id}/resize'),
  e('ContainerStart', 'POST', '/containers/{id}/start'),
  e('ContainerStop', 'POST', '/containers/{id}/stop'),
  e('ContainerRestart', 'POST', '/containers/{id}/restart'),
  e('ContainerKill', 'POST', '/containers/{id}/kill'),
  e('ContainerUpdate', 'POST', '/containers/{id}/update'),
  e('ContainerRename', 'POST', '/containers/{id}/rename'),
  e('ContainerPause', 'POST', '/containers/{id}/pause'),
  e('ContainerUnpause', 'POST', '/containers/{id}/unpause'),
  e('ContainerAttach', 'POST', '/containers/{id}/attach', { hijack: true }),
  e('ContainerWait', 'POST', '/containers/{id}/wait'),
  e('ContainerDelete', 'DELETE', '/containers/{id}'),
  e('ContainerArchiveInfo', 'HEAD', '/containers/{id}/archive'),
  e('ContainerArchive', 'GET', '/containers/{id}/archive'),
  e('PutContainerArchive', 'PUT', '/containers/{id}/archive'),
  e('ContainerPrune', 'POST', '/containers/prune'),
  e('ContainerExec', 'POST', '/containers/{id}/exec'),
  e('ExecStart', 'POST', '/exec/{id}/start', { hijack: true }),
  e('ExecResize', 'POST', '/exec/{id}/resize'),
  e('ExecInspect', 'GET', '/exec/{id}/json'),
  // images
  e('ImageList', 'GET', '/images/json'),
  e('ImageCreate', 'POST', '/images/create'),
  e('ImageInspect', 'GET', '/images/{name*}/json'),
  e('ImageHistory', 'GET', '/images/{name*}/history'),
  e('ImagePush', 'POST', '/images/{name*}/push'),
  e('ImageTag', 'POST', '/images/{name*}/tag'),
  e('ImageDelete', 'DELETE', '/images/{name*}'),
  e('ImageSearch', 'GET', '/images/search'),
  e('ImagePrune', 'POST', '/images/prune'),
  e('ImageGet', 'GET', '/images/{name*}/get'),
  e('ImageGetAll', 'GET', '/images/get'),
  e('ImageLoad', 'POST', '/images/load'),
  e('ImageCommit', 'POST', '/commit'),
  e('ImageBuild', 'POST', '/build'),
] as const satisfies readonly Endpoint[];

export type EndpointName = (typeof ENDPOINTS)[number]['name'];

const BY_NAME = new Map<string, Endpoint>(ENDPOINTS.map((x) => [x.name, x]));

export function endpoint(name: EndpointName): Endpoint {
  return BY_NAME.get(name)!;
}

/** Fills `{param}` placeholders (URI-encoded; `{x*}` keeps its slashes). */
export function endpointPath(ep: Endpoint, params: Record<string, string> = {}): string {
  return ep.path.replace(/\{(\w+)(\*?)\}/g, (_, k: string, star: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`endpoint ${ep.name}: missing path parameter ${k}`);
    return star ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
  });
}
