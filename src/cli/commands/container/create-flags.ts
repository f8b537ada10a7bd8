// @pure
// The flags `run` and `create` share (Docker's names, shorthands and kinds).
import type { FlagDef } from '../../flags/parse-flags.ts';

const b = (name: string, short?: string, help = ''): FlagDef => ({ name, short, kind: 'bool', help });
const s = (name: string, short?: string, help = ''): FlagDef => ({ name, short, kind: 'string', help });
const l = (name: string, short?: string, help = ''): FlagDef => ({ name, short, kind: 'list', help });
const i = (name: string, short?: string, help = ''): FlagDef => ({ name, short, kind: 'int', help });

export const CREATE_FLAGS: FlagDef[] = [
  l('add-host', undefined, 'Add a custom host-to-IP mapping (host:ip)'), l('attach', 'a', 'Attach to STDIN, STDOUT or STDERR'),
  l('cap-add', undefined, 'Add Linux capabilities'), l('cap-drop', undefined, 'Drop Linux capabilities'),
  s('cgroup-parent', undefined, 'Optional parent cgroup for the container'), s('cgroupns', undefined, 'Cgroup namespace to use (host|private)'),
  s('cidfile', undefined, 'Write the container ID to the file'),
  i('cpu-shares', 'c', 'CPU shares (relative weight)'), s('cpus', undefined, 'Number of CPUs'), s('cpuset-cpus', undefined, 'CPUs in which to allow execution (0-3, 0,1)'),
  s('cpuset-mems', undefined, 'MEMs in which to allow execution (0-3, 0,1)'), i('cpu-period', undefined, 'Limit CPU CFS period'), i('cpu-quota', undefined, 'Limit CPU CFS quota'),
  l('device', undefined, 'Add a host device to the container'), l('dns', undefined, 'Set custom DNS servers'), l('dns-search', undefined, 'Set custom DNS search domains'),
  l('dns-option', undefined, 'Set DNS options'), s('domainname', undefined, 'Container NIS domain name'),
  s('entrypoint', undefined, 'Overwrite the default ENTRYPOINT of the image'), l('env', 'e', 'Set environment variables'), l('env-file', undefined, 'Read in a file of environment variables'),
  l('expose', undefined, 'Expose a port or a range of ports'), l('group-add', undefined, 'Add additional groups to join'),
  s('health-cmd', undefined, 'Command to run to check health'), s('health-interval', undefined, 'Time between running the check'),
  i('health-retries', undefined, 'Consecutive failures needed to report unhealthy'), s('health-start-period', undefined, 'Start period for the container to initialize'),
  s('health-timeout', undefined, 'Maximum time to allow one check to run'), b('no-healthcheck', undefined, 'Disable any container-specified HEALTHCHECK'),
  s('hostname', 'h', 'Container host name'), b('init', undefined, 'Run an init inside the container that forwards signals and reaps processes'),
  b('interactive', 'i', 'Keep STDIN open even if not attached'), s('ip', undefined, 'IPv4 address'), s('ipc', undefined, 'IPC mode to use'),
  l('label', 'l', 'Set meta data on a container'), l('label-file', undefined, 'Read in a line delimited file of labels'), l('link', undefined, 'Add link to another container'),
  s('log-driver', undefined, 'Logging driver for the container'), l('log-opt', undefined, 'Log driver options'),
  s('memory', 'm', 'Memory limit'), s('memory-reservation', undefined, 'Memory soft limit'), s('memory-swap', undefined, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  i('memory-swappiness', undefined, 'Tune container memory swappiness (0 to 100)'),
  l('mount', undefined, 'Attach a filesystem mount to the container'), s('name', undefined, 'Assign a name to the container'),
  s('network', undefined, 'Connect a container to a network'), s('net', undefined, 'Connect a container to a network'), l('network-alias', undefined, 'Add network-scoped alias for the container'),
  b('oom-kill-disable', undefined, 'Disable OOM Killer'), i('oom-score-adj', undefined, "Tune host's OOM preferences (-1000 to 1000)"),
  s('pid', undefined, 'PID namespace to use'), i('pids-limit', undefined, 'Tune container pids limit (set -1 for unlimited)'),
  s('platform', undefined, 'Set platform if server is multi-platform capable'), b('privileged', undefined, 'Give extended privileges to this container'),
  l('publish', 'p', "Publish a container's port(s) to the host"), b('publish-all', 'P', 'Publish all exposed ports to random ports'),
  s('pull', undefined, 'Pull image before running ("always", "missing", "never")'), b('quiet', 'q', 'Suppress the pull output'),
  b('read-only', undefined, "Mount the container's root filesystem as read only"), s('restart', undefined, 'Restart policy to apply when a container exits'),
  b('rm', undefined, 'Automatically remove the container and its associated anonymous volumes when it exits'), s('runtime', undefined, 'Runtime to use for this container'),
  l('security-opt', undefined, 'Security Options'), s('shm-size', undefined, 'Size of /dev/shm'), s('stop-signal', undefined, 'Signal to stop the container'),
  i('stop-timeout', undefined, 'Timeout (in seconds) to stop a container'), l('storage-opt', undefined, 'Storage driver options for the container'),
  l('sysctl', undefined, 'Sysctl options'), l('tmpfs', undefined, 'Mount a tmpfs directory'), b('tty', 't', 'Allocate a pseudo-TTY'),
  l('ulimit', undefined, 'Ulimit options'), s('user', 'u', 'Username or UID (format: <name|uid>[:<group|gid>])'), s('userns', undefined, 'User namespace to use'),
  s('uts', undefined, 'UTS namespace to use'), l('volume', 'v', 'Bind mount a volume'), l('volumes-from', undefined, 'Mount volumes from the specified container(s)'),
  s('workdir', 'w', 'Working directory inside the container'), b('disable-content-trust', undefined, 'Skip image verification'),
];

export const RUN_ONLY_FLAGS: FlagDef[] = [
  b('detach', 'd', 'Run container in background and print container ID'), s('detach-keys', undefined, 'Override the key sequence for detaching a container'),
  b('sig-proxy', undefined, 'Proxy received signals to the process'),
];
