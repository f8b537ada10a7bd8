// @pure
// LinkOp → lines for `ip -batch -`.
import type { LinkOp } from './plan.ts';

export function renderIpOp(o: LinkOp): string {
  switch (o.op) {
    case 'bridge-add': return `link add name ${o.name}${o.mtu ? ` mtu ${o.mtu}` : ''} type bridge`;
    case 'veth-add': return `link add name ${o.name}${o.mtu ? ` mtu ${o.mtu}` : ''}${o.master ? ` master ${o.master}` : ''}${o.up ? ' up' : ''} type veth peer name ${o.peer}${o.mtu ? ` mtu ${o.mtu}` : ''}${o.peerMac ? ` address ${o.peerMac}` : ''} netns ${o.peerNetns}`;
    case 'set-master': return `link set dev ${o.dev} master ${o.master}`;
    case 'up': return `link set dev ${o.dev} up`;
    case 'addr-add': return `addr add ${o.cidr} dev ${o.dev}`;
    case 'route-default': return `route add default via ${o.via} dev ${o.dev}`;
    case 'link-del': return `link del dev ${o.dev}`;
  }
}

export function renderIpBatch(ops: readonly LinkOp[]): string {
  return ops.map((o) => renderIpOp(o) + '\n').join('');
}
