// @pure
// The Go types the docker CLI decodes `docker inspect` JSON into (moby api/types, v28), as far as
// --format templates print them whole: field order, maps vs structs, pointers, ints. Types not
// described here are printed by go-value.ts's guess.
import { ANY, BOOL, DURATION, INT, STRING, mapOf, ptrTo, sliceOf, stringer, struct, type GoType } from './go-value.ts';

const STRINGS = sliceOf(STRING);
const STRING_MAP = mapOf(STRING);

export const HEALTH_CONFIG = struct(['Test', STRINGS], ['Interval', DURATION], ['Timeout', DURATION], ['StartPeriod', DURATION], ['StartInterval', DURATION], ['Retries', INT]);

export const HEALTH = struct(['Status', STRING], ['FailingStreak', INT], ['Log', sliceOf(ptrTo(ANY))]);

export const STATE = struct(
  ['Status', STRING], ['Running', BOOL], ['Paused', BOOL], ['Restarting', BOOL], ['OOMKilled', BOOL], ['Dead', BOOL],
  ['Pid', INT], ['ExitCode', INT], ['Error', STRING], ['StartedAt', STRING], ['FinishedAt', STRING], ['Health', ptrTo(HEALTH)],
);

/** nat.PortSet / map[string]struct{}: `map[80/tcp:{}]`. */
const SET = mapOf(struct());

export const CONFIG = struct(
  ['Hostname', STRING], ['Domainname', STRING], ['User', STRING], ['AttachStdin', BOOL], ['AttachStdout', BOOL], ['AttachStderr', BOOL],
  ['ExposedPorts', SET], ['Tty', BOOL], ['OpenStdin', BOOL], ['StdinOnce', BOOL], ['Env', STRINGS], ['Cmd', STRINGS],
  ['Healthcheck', ptrTo(HEALTH_CONFIG)], ['ArgsEscaped', BOOL], ['Image', STRING], ['Volumes', SET], ['WorkingDir', STRING],
  ['Entrypoint', STRINGS], ['NetworkDisabled', BOOL], ['MacAddress', STRING], ['OnBuild', STRINGS], ['Labels', STRING_MAP],
  ['StopSignal', STRING], ['StopTimeout', ptrTo(INT)], ['Shell', STRINGS],
);

export const PORT_MAP = mapOf(sliceOf(struct(['HostIP:HostIp', STRING], ['HostPort', STRING])));

export const RESTART_POLICY = struct(['Name', STRING], ['MaximumRetryCount', INT]);
export const LOG_CONFIG = struct(['Type', STRING], ['Config', STRING_MAP]);
// units.Ulimit's String(): name=soft:hard.
const ULIMIT = stringer((u) => `${String(u.Name ?? '')}=${Number(u.Soft ?? 0)}:${Number(u.Hard ?? 0)}`);
const DEVICE = struct(['PathOnHost', STRING], ['PathInContainer', STRING], ['CgroupPermissions', STRING]);

export const RESOURCES = struct(
  ['CPUShares:CpuShares', INT], ['Memory', INT], ['NanoCPUs:NanoCpus', INT], ['CgroupParent', STRING], ['BlkioWeight', INT],
  ['BlkioWeightDevice', sliceOf(ptrTo(ANY))], ['BlkioDeviceReadBps', sliceOf(ptrTo(ANY))], ['BlkioDeviceWriteBps', sliceOf(ptrTo(ANY))],
  ['BlkioDeviceReadIOps', sliceOf(ptrTo(ANY))], ['BlkioDeviceWriteIOps', sliceOf(ptrTo(ANY))],
  ['CPUPeriod:CpuPeriod', INT], ['CPUQuota:CpuQuota', INT], ['CPURealtimePeriod:CpuRealtimePeriod', INT], ['CPURealtimeRuntime:CpuRealtimeRuntime', INT],
  ['CpusetCpus', STRING], ['CpusetMems', STRING], ['Devices', sliceOf(DEVICE)], ['DeviceCgroupRules', STRINGS], ['DeviceRequests', sliceOf(ANY)],
  ['KernelMemory', INT], ['KernelMemoryTCP', INT], ['MemoryReservation', INT], ['MemorySwap', INT], ['MemorySwappiness', ptrTo(INT)],
  ['OomKillDisable', ptrTo(BOOL)], ['PidsLimit', ptrTo(INT)], ['Ulimits', sliceOf(ptrTo(ULIMIT))],
  ['CPUCount:CpuCount', INT], ['CPUPercent:CpuPercent', INT], ['IOMaximumIOps', INT], ['IOMaximumBandwidth', INT],
);

export const HOST_CONFIG = struct(
  ['Binds', STRINGS], ['ContainerIDFile', STRING], ['LogConfig', LOG_CONFIG], ['NetworkMode', STRING], ['PortBindings', PORT_MAP],
  ['RestartPolicy', RESTART_POLICY], ['AutoRemove', BOOL], ['VolumeDriver', STRING], ['VolumesFrom', STRINGS], ['ConsoleSize', sliceOf(INT)],
  ['Annotations', STRING_MAP], ['CapAdd', STRINGS], ['CapDrop', STRINGS], ['CgroupnsMode', STRING], ['DNS:Dns', STRINGS],
  ['DNSOptions:DnsOptions', STRINGS], ['DNSSearch:DnsSearch', STRINGS], ['ExtraHosts', STRINGS], ['GroupAdd', STRINGS], ['IpcMode', STRING],
  ['Cgroup', STRING], ['Links', STRINGS], ['OomScoreAdj', INT], ['PidMode', STRING], ['Privileged', BOOL], ['PublishAllPorts', BOOL],
  ['ReadonlyRootfs', BOOL], ['SecurityOpt', STRINGS], ['StorageOpt', STRING_MAP], ['Tmpfs', STRING_MAP], ['UTSMode', STRING],
  ['UsernsMode', STRING], ['ShmSize', INT], ['Sysctls', STRING_MAP], ['Runtime', STRING], ['Isolation', STRING], ['...Resources', RESOURCES],
  ['Mounts', sliceOf(ANY)], ['MaskedPaths', STRINGS], ['ReadonlyPaths', STRINGS], ['Init', ptrTo(BOOL)],
);

export const MOUNT_POINT = struct(
  ['Type', STRING], ['Name', STRING], ['Source', STRING], ['Destination', STRING], ['Driver', STRING], ['Mode', STRING], ['RW', BOOL], ['Propagation', STRING],
);

const ADDRESSES = sliceOf(struct(['Addr', STRING], ['PrefixLen', INT]));

export const NETWORK_SETTINGS = struct(
  ['...NetworkSettingsBase', struct(
    ['Bridge', STRING], ['SandboxID', STRING], ['SandboxKey', STRING], ['Ports', PORT_MAP], ['HairpinMode', BOOL], ['LinkLocalIPv6Address', STRING],
    ['LinkLocalIPv6PrefixLen', INT], ['SecondaryIPAddresses', ADDRESSES], ['SecondaryIPv6Addresses', ADDRESSES],
  )],
  ['...DefaultNetworkSettings', struct(
    ['EndpointID', STRING], ['Gateway', STRING], ['GlobalIPv6Address', STRING], ['GlobalIPv6PrefixLen', INT], ['IPAddress', STRING],
    ['IPPrefixLen', INT], ['IPv6Gateway', STRING], ['MacAddress', STRING],
  )],
  ['Networks', mapOf(ptrTo(ANY))],
);

/** container.InspectResponse (ContainerJSONBase is embedded by pointer in Go: `{{.}}` differs). */
export const CONTAINER_INSPECT: GoType = struct(
  ['...ContainerJSONBase', struct(
    ['ID:Id', STRING], ['Created', STRING], ['Path', STRING], ['Args', STRINGS], ['State', ptrTo(STATE)], ['Image', STRING],
    ['ResolvConfPath', STRING], ['HostnamePath', STRING], ['HostsPath', STRING], ['LogPath', STRING], ['Name', STRING],
    ['RestartCount', INT], ['Driver', STRING], ['Platform', STRING], ['MountLabel', STRING], ['ProcessLabel', STRING],
    ['AppArmorProfile', STRING], ['ExecIDs', STRINGS], ['HostConfig', ptrTo(HOST_CONFIG)],
    ['GraphDriver', struct(['Data', STRING_MAP], ['Name', STRING])], ['SizeRw', ptrTo(INT)], ['SizeRootFs', ptrTo(INT)],
  )],
  ['Mounts', sliceOf(MOUNT_POINT)], ['Config', ptrTo(CONFIG)], ['NetworkSettings', ptrTo(NETWORK_SETTINGS)],
);
