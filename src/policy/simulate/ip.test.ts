// CIDR parsing and containment. Source: IAM User Guide, "Condition operators", IP address condition operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cidrContains, parseCidr, parseIp } from './ip.ts';

test('parses IPv4 and IPv6 addresses, rejects malformed ones', () => {
  assert.deepEqual(parseIp('203.0.113.7'), { version: 4, value: 0xcb007107n });
  assert.equal(parseIp('::1')?.value, 1n);
  assert.equal(parseIp('2001:DB8::')?.value, 0x20010db8n << 96n);
  assert.equal(parseIp('::ffff:192.0.2.1')?.value, (0xffffn << 32n) | 0xc0000201n);
  for (const bad of [
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    'a.b.c.d',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '',
  ]) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

test('parses CIDR ranges and defaults bare addresses to /32 and /128', () => {
  assert.deepEqual(parseCidr('203.0.113.0/24'), { version: 4, network: 0xcb007100n, prefix: 24 });
  assert.equal(parseCidr('203.0.113.9/24')?.network, 0xcb007100n, 'host bits are cleared');
  assert.equal(parseCidr('203.0.113.9')?.prefix, 32);
  assert.equal(parseCidr('2001:db8::1')?.prefix, 128);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('10.0.0.0/x'), undefined);
  assert.equal(parseCidr('10.0.0.0/8/8'), undefined);
});

test('containment respects prefix length and address family', () => {
  const v4 = parseCidr('203.0.113.0/24')!;
  assert.equal(cidrContains(v4, parseIp('203.0.113.255')!), true);
  assert.equal(cidrContains(v4, parseIp('203.0.114.0')!), false);
  const v6 = parseCidr('2001:DB8:1234:5678::/64')!;
  assert.equal(cidrContains(v6, parseIp('2001:db8:1234:5678:ffff:ffff:ffff:ffff')!), true);
  assert.equal(cidrContains(v6, parseIp('2001:db8:1234:5679::')!), false);
  assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('1.2.3.4')!), true);
  assert.equal(cidrContains(parseCidr('::/0')!, parseIp('1.2.3.4')!), false);
});
