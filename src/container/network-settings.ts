// @pure
// Docker's NetworkSettings of a container (inspect) and the endpoint settings of the create
// body's NetworkingConfig. Persisted on the container record: the endpoint configuration
// (aliases, --ip) stays while the container is stopped; the addresses are filled while it runs.

export interface EndpointIpamConfig { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] | null }

/** Docker's network.EndpointSettings. */
export interface EndpointSettings {
  IPAMConfig?: EndpointIpamConfig | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
  GwPriority?: number;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  DNSNames?: string[] | null;
}

export interface NetworkingConfig { EndpointsConfig?: Record<string, EndpointSettings | null> }

export interface PortMapEntry { HostIp: string; HostPort: string }

export interface NetworkSettings {
  /** Keyed by network name. */
  Networks: Record<string, EndpointSettings>;
  /** '80/tcp' → bindings (null: exposed, not published). */
  Ports: Record<string, PortMapEntry[] | null>;
  SandboxKey: string;
}

export const emptyEndpoint = (cfg: EndpointSettings = {}): EndpointSettings => ({
  IPAMConfig: cfg.IPAMConfig ?? null, Links: cfg.Links ?? null, Aliases: cfg.Aliases ?? null, MacAddress: cfg.MacAddress ?? '',
  DriverOpts: cfg.DriverOpts ?? null, GwPriority: cfg.GwPriority ?? 0, NetworkID: cfg.NetworkID ?? '', EndpointID: '', Gateway: '',
  IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
});
