// network/ — berth's bridge networking as a library. The daemon wires it into the container
// service and the API.
//
// Pure (no node:*, unit-tested):
//   ipv4.ts   parseIp/formatIp/parseCidr/formatCidr/contains/overlaps/macFor
//   ipam.ts   DEFAULT_POOLS; pickSubnet(pools, inUse, hostRoutes): string;
//             createIpam({subnet?, gateway?, ipRange?}, inUse, hostRoutes, pools?): IpamState;
//             allocate(state, requestedIp?, label?): {state, ip}; release(state, ip): IpamState
//             (Docker's texts: "Pool overlaps with other one on this address space",
//              "no configured subnet or ip-range contain the IP address X", "Address already in use")
//   ports.ts  parsePortSpec('[ip:][host[-h2]:]ctr[-c2][/udp]'): PortRequest[]; publishAll(exposed);
//             portKey(binding) → '80/tcp'
//   plan.ts   Step = ip batch | nft element ops | sysctl | resolver; planPlumb (many endpoints, 2 processes);
//             planCreateNetwork(BridgeSpec, {ipForward}), planRemoveNetwork(BridgeSpec),
//             planConnect(BridgeSpec, EndpointSpec), planDisconnect(EndpointSpec),
//             planPublish(PublishedPort[]), planUnpublish(PublishedPort[]); bridgeName(id), vethName()
//   firewall.ts tableScript(table) (berth's whole `table ip berth`), renderNft(ops, table)
//   ip-batch.ts renderIpBatch(LinkOp[]) → text for `ip -batch -`
//   resolver.ts resolverScript(target, port?) / planResolver(netns, target): Docker's 127.0.0.11
//             in a container's netns (nft DNAT to a network's server, masquerade, route_localnet)
//   files.ts  hostsFile({hostname, ips, extraHosts}), hostnameFile(h),
//             resolvConf({host, embedded?, dns?, dnsSearch?, dnsOptions?}), upstreamServers(hostText)
//
// Effects:
//   apply.ts  new NetApplier({table?, hostNetns?, run?, warm?}).apply(steps) — one `ip -batch -` per
//             ip step (`ip -n NS` / `nsenter --net=PATH` inside a container), one `nft -f -` per
//             firewall step; startInNetns(cmd) → {enter(netns), finish(input), cancel()} for a
//             netns not made yet, warmUp(cmd, n) idle ones ready, close(); resetFirewall(),
//             deleteFirewall(), hostRoutes().
//   proxy.ts  new PortProxy({udpIdleMs?}): add(target, port|0) → bound port, addInRange, remove,
//             close. One socket per published port inside the daemon process (no proxy processes).
//   dns.ts    new EmbeddedDns({address, port?, subnet, upstreams}): add/remove(name, ip),
//             setClientUpstreams(ip, servers), start(), close().
//   bridge-networks.ts  new BridgeNetworks({applier, proxy?, pools?, ipForward?, vethPrefix?,
//             upstreams?, dnsPort?}): init(); create(NetworkConfig) → NetworkState;
//             remove(id); connect(id, {containerId, names, netns?, ip?, ifname?, defaultRoute?,
//             dnsServers?}) → Endpoint (no netns: reserved); prepare(containerId);
//             plumb(containerId, netns) → {configured}; disconnect(id, containerId, {netnsGone?});
//             reap(hostVeths, exists);
//             publish(id, containerId, PortRequest[]) → PortBinding[]; unpublish(id, containerId);
//             restore(NetworkState[]); networks(); endpoints(id?); shutdown().
//
// Decisions:
// - Firewall: one table `table ip berth` of fixed chains over sets/maps; networks and ports are
//   set/map elements, so nothing else is ever touched and no rule handles are tracked.
//   Published ports: DNAT in prerouting and output for local non-loopback addresses (client
//   source kept); 127.0.0.1 is served by the in-process PortProxy, which also reserves the port.
//   --internal: forwarding into/out of the bridge is dropped, no masquerade, no default route.
// - DNS: the embedded server of a user network listens on that network's gateway, port 53, and
//   answers a container with the names of all its networks; the container's resolv.conf says
//   Docker's `nameserver 127.0.0.11`, which an nft table in its netns sends to one of them.
// - The container netns comes from the runtime as a name under /run/netns or a path
//   (/proc/PID/ns/net, berthd: the runtime's own, at its setup sync point); its death frees the
//   veth pair.
export * from './ipv4.ts';
export * from './ipam.ts';
export * from './ports.ts';
export * from './plan.ts';
export * from './firewall.ts';
export * from './ip-batch.ts';
export * from './files.ts';
export * from './apply.ts';
export * from './proxy.ts';
export * from './dns.ts';
export * from './bridge-networks.ts';
export * from './resolver.ts';
