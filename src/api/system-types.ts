// @pure
// Docker wire types of the system endpoints (PascalCase and field names exactly as Docker's).
export interface ErrorResponse { message: string }

export interface ComponentVersion { Name: string; Version: string; Details?: Record<string, string> }

/** GET /version */
export interface VersionResponse {
  Platform: { Name: string };
  Components: ComponentVersion[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  Experimental?: boolean;
  BuildTime: string;
}

export interface RuntimeInfo { path: string; runtimeArgs?: string[]; status?: Record<string, string> }
export interface CommitInfo { ID: string; Expected?: string }

export interface IndexInfo { Name: string; Mirrors: string[]; Secure: boolean; Official: boolean }
export interface RegistryServiceConfig {
  InsecureRegistryCIDRs: string[];
  IndexConfigs: Record<string, IndexInfo>;
  Mirrors: string[];
  AllowNondistributableArtifactsCIDRs?: string[];
  AllowNondistributableArtifactsHostnames?: string[];
}

export interface SwarmInfo {
  NodeID: string; NodeAddr: string; LocalNodeState: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  ControlAvailable: boolean; Error: string; RemoteManagers: null | { NodeID: string; Addr: string }[];
}

/** GET /info (Docker's SystemInfo). */
export interface SystemInfo {
  ID: string;
  Containers: number; ContainersRunning: number; ContainersPaused: number; ContainersStopped: number;
  Images: number;
  Driver: string; DriverStatus: [string, string][];
  DockerRootDir: string;
  Plugins: { Volume: string[]; Network: string[]; Authorization: string[] | null; Log: string[] };
  MemoryLimit: boolean; SwapLimit: boolean; KernelMemoryTCP?: boolean;
  CpuCfsPeriod: boolean; CpuCfsQuota: boolean; CPUShares: boolean; CPUSet: boolean; PidsLimit: boolean;
  IPv4Forwarding: boolean; BridgeNfIptables?: boolean; BridgeNfIp6tables?: boolean;
  OomKillDisable: boolean; Debug: boolean;
  NFd: number; NGoroutines: number; SystemTime: string;
  LoggingDriver: string; CgroupDriver: 'cgroupfs' | 'systemd' | 'none'; CgroupVersion: '1' | '2';
  NEventsListener: number;
  KernelVersion: string; OperatingSystem: string; OSVersion: string; OSType: string; Architecture: string;
  IndexServerAddress: string; RegistryConfig: RegistryServiceConfig;
  NCPU: number; MemTotal: number;
  GenericResources: null;
  HttpProxy: string; HttpsProxy: string; NoProxy: string;
  Name: string; Labels: string[];
  ExperimentalBuild: boolean; ServerVersion: string;
  Runtimes: Record<string, RuntimeInfo>; DefaultRuntime: string;
  Swarm: SwarmInfo;
  LiveRestoreEnabled: boolean; Isolation: string; InitBinary: string;
  ContainerdCommit: CommitInfo; RuncCommit: CommitInfo; InitCommit: CommitInfo;
  SecurityOptions: string[];
  CDISpecDirs: string[];
  Warnings: string[] | null;
}

export type EventType = 'builder' | 'config' | 'container' | 'daemon' | 'image' | 'network' | 'node' | 'plugin' | 'secret' | 'service' | 'volume';

/** GET /events: one JSON object per event. `status`/`id`/`from` are Docker's legacy fields. */
export interface EventMessage {
  status?: string;
  id?: string;
  from?: string;
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local' | 'swarm';
  time: number;
  timeNano: number;
}

/** Docker's `filters` query parameter, decoded: name → accepted values. */
export type Filters = Record<string, string[]>;
