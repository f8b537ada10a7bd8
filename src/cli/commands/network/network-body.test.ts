import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipamConfig } from './network-body.ts';
import { keyValues } from '../../key-values.ts';

test('ipamConfig: ranges, gateways and aux addresses go to the subnet holding them; the docker CLI errors otherwise', () => {
  const none = { ipRanges: [], gateways: [], auxAddresses: [] };
  assert.deepEqual(ipamConfig({ ...none, subnets: [] }), []);
  assert.deepEqual(ipamConfig({ subnets: ['10.1.0.0/16', 'fd00::/64'], ipRanges: ['10.1.2.0/24'], gateways: ['fd00::1', '10.1.0.1'], auxAddresses: ['r=10.1.0.9'] }), [
    { Subnet: '10.1.0.0/16', IPRange: '10.1.2.0/24', Gateway: '10.1.0.1', AuxiliaryAddresses: { r: '10.1.0.9' } },
    { Subnet: 'fd00::/64', Gateway: 'fd00::1' },
  ]);
  assert.throws(() => ipamConfig({ ...none, subnets: [], gateways: ['10.0.0.1'] }), /every ip-range or gateway must have a corresponding subnet/);
  assert.throws(() => ipamConfig({ ...none, subnets: ['10.0.0.0/8', '10.1.0.0/16'] }), /overlapping subnet/);
  assert.throws(() => ipamConfig({ ...none, subnets: ['10.0.0.0/24'], gateways: ['10.0.1.1'] }), /no matching subnet for gateway 10\.0\.1\.1/);
  assert.throws(() => ipamConfig({ ...none, subnets: ['10.0.0.0/24', '10.0.1.0/24'], gateways: ['10.0.0.1', '10.0.0.2'] }), /multiple gateways/);
  assert.throws(() => ipamConfig({ ...none, subnets: ['10.0.0/24'] }), /invalid CIDR address: 10\.0\.0\/24/);
  assert.deepEqual(keyValues(['a=b=c', 'flag']), { a: 'b=c', flag: '' });
});
