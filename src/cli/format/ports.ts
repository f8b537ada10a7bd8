// @pure
// Docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, :::8080->80/tcp, 443/tcp", with consecutive
// ports of one host IP and protocol grouped into ranges ("8000-8001->8000-8001/tcp").
export interface ApiPort { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }

export function displayablePorts(ports: readonly ApiPort[]): string {
  const groups = new Map<string, number[]>();
  const order: string[] = [];
  const hostMappings: string[] = [];
  const sorted = [...ports].sort((a, b) => (a.Type === b.Type ? (a.PrivatePort - b.PrivatePort) || ((a.PublicPort ?? 0) - (b.PublicPort ?? 0)) || (a.IP ?? '').localeCompare(b.IP ?? '') : a.Type < b.Type ? -1 : 1));
  for (const p of sorted) {
    let current = p.PrivatePort;
    let portKey = p.Type;
    if (p.IP) {
      if (p.PublicPort !== p.PrivatePort) {
        const ip = p.IP.includes(':') ? `[${p.IP}]` : p.IP;
        hostMappings.push(`${ip}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      current = p.PublicPort ?? p.PrivatePort;
      portKey = `${p.IP.includes(':') ? `[${p.IP}]` : p.IP}/${p.Type}`;
    }
    if (!groups.has(portKey)) { groups.set(portKey, []); order.push(portKey); }
    groups.get(portKey)!.push(current);
  }
  const out: string[] = [];
  for (const key of order) {
    const list = groups.get(key)!;
    let first = list[0];
    let last = first;
    const [ipOrType, type] = key.includes('/') ? key.split('/') : ['', key];
    const fmt = (a: number, b: number) => {
      const r = a === b ? `${a}` : `${a}-${b}`;
      return ipOrType ? `${ipOrType}:${r}->${r}/${type}` : `${r}/${type}`;
    };
    for (const n of list.slice(1)) {
      if (n === last + 1) { last = n; continue; }
      out.push(fmt(first, last));
      first = last = n;
    }
    out.push(fmt(first, last));
  }
  out.push(...hostMappings);
  return out.join(', ');
}
