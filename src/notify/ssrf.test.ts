import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAddress, checkTargetUrl, forbiddenReason, parseAllowList } from './ssrf.ts';

const none = parseAllowList([]);

test('forbidden ranges: private, loopback, link-local, unique-local, multicast, unspecified; v4 and v6', () => {
  const cases: [string, string | undefined][] = [
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', undefined],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['8.8.8.8', undefined],
    ['93.184.216.34', undefined],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2606:4700::1111', undefined],
    // Forms that embed an IPv4 address or tunnel to one (review finding: `[::127.0.0.1]` parses to ::7f00:1).
    ['::7f00:1', 'IPv4-compatible'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['64:ff9b:1::a00:1', 'NAT64'],
    // IPv4-mapped and -compatible forms are judged as the IPv4 address they carry.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::a00:1', 'NAT64'],
  ];
  for (const [address, reason] of cases) assert.equal(forbiddenReason(address), reason, address);
});

test('the allow-list exempts hosts, single addresses and CIDRs (also through IPv4-mapped addresses)', () => {
  const allow = parseAllowList(['127.0.0.1', 'hooks.internal', '10.20.0.0/16', 'fd00::/8']);
  assert.deepEqual(checkAddress(allow, '127.0.0.1'), { ok: true });
  assert.deepEqual(checkAddress(allow, '::ffff:127.0.0.1'), { ok: true });
  assert.equal(checkAddress(allow, '127.0.0.2').ok, false);
  assert.deepEqual(checkAddress(allow, '10.20.3.4'), { ok: true });
  assert.equal(checkAddress(allow, '10.21.0.1').ok, false);
  assert.deepEqual(checkAddress(allow, 'fd00::5'), { ok: true });
  assert.throws(() => parseAllowList(['10.0.0.0/40']), /bad CIDR 10\.0\.0\.0\/40/);
  assert.throws(() => parseAllowList(['http://x']), /bad allow-list entry/);
});

test('URLs: http(s) only, no credentials; a hostname is judged by every address it resolves to', async () => {
  const resolveTo =
    (...addresses: string[]) =>
    async () =>
      addresses;
  assert.deepEqual(await checkTargetUrl('https://hooks.example.com/x', none, resolveTo('93.184.216.34')), {
    ok: true,
  });
  assert.deepEqual(await checkTargetUrl('http://localhost:8080/x', none, resolveTo('127.0.0.1')), {
    ok: false,
    reason: 'localhost resolves to 127.0.0.1 is a loopback address (not in IAM_JIT_WEBHOOK_ALLOW_HOSTS)',
    publicReason: 'localhost does not resolve to a public address',
  });
  // One bad address among good ones is enough to refuse (the connection could pick it).
  const mixed = await checkTargetUrl('https://a.example/x', none, resolveTo('93.184.216.34', '10.0.0.7'));
  assert.equal(mixed.ok, false);
  assert.equal((await checkTargetUrl('http://169.254.169.254/latest', none)).ok, false);
  assert.equal((await checkTargetUrl('http://[::ffff:169.254.169.254]/', none)).ok, false);
  assert.deepEqual(await checkTargetUrl('file:///etc/passwd', none), {
    ok: false,
    reason: 'only http:// and https:// URLs are allowed',
  });
  assert.deepEqual(await checkTargetUrl('http://user:pw@93.184.216.34/', none), {
    ok: false,
    reason: 'credentials in the URL are not allowed',
  });
  assert.equal((await checkTargetUrl('not a url', none)).ok, false);
  const failing = async (): Promise<string[]> => {
    throw new Error('ENOTFOUND');
  };
  assert.equal((await checkTargetUrl('https://nowhere.invalid/', none, failing)).ok, false);
  // An allow-listed hostname is not resolved at all.
  assert.deepEqual(
    await checkTargetUrl('http://hooks.internal/x', parseAllowList(['hooks.internal']), failing),
    {
      ok: true,
    },
  );
});

test('the real resolver: localhost (127.0.0.1 and ::1) is refused without an allow-list entry', async () => {
  const r = await checkTargetUrl('http://localhost:9/hook', none);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /^localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
});
