import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tabwrite } from './tabwriter.ts';
import { formatG, humanDuration, humanSize, bytesSize, ramInBytes } from './human-units.ts';
import { render, preFormat, goJson } from './render.ts';
import { containerRow, ellipsis, goQuote, imageColumn, PS_HEADERS, PS_TABLE } from './container-row.ts';
import { displayablePorts } from './ports.ts';
import { imageRows, IMAGES_TABLE, IMAGE_HEADERS } from './image-row.ts';
import { ProgressRenderer } from './progress.ts';
import { goTimeString } from './go-time.ts';
import { ansic } from './go-time-ansic.ts';

test('tabwriter: docker table padding (minwidth 10, padding 3), last cell free', () => {
  assert.equal(tabwrite('A\tBB\tC\nxxxxxxxxxxxx\ty\tlast\n'), 'A              BB        C\nxxxxxxxxxxxx   y         last\n');
  assert.equal(tabwrite('a\tb\n'), 'a         b\n');
  // a column block ends at a line without that column
  assert.equal(tabwrite('aaaaaaaaaaaaaa\tb\nc\nd\te\n'), 'aaaaaaaaaaaaaa   b\nc\nd         e\n');
  // runes, not bytes
  assert.equal(tabwrite('héllo…\tx\n'), 'héllo…    x\n');
  assert.equal(tabwrite('Version:\t1\n', { minwidth: 20, padding: 1 }), 'Version:            1\n');
});

test('go-units: HumanDuration and HumanSizeWithPrecision', () => {
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(59_000), '59 seconds');
  assert.equal(humanDuration(60_000), 'About a minute');
  assert.equal(humanDuration(47 * 60_000), '47 minutes');
  assert.equal(humanDuration(3_600_000), 'About an hour');
  assert.equal(humanDuration(5 * 3_600_000), '5 hours');
  assert.equal(humanDuration(3 * 86_400_000), '3 days');
  assert.equal(humanDuration(20 * 86_400_000), '2 weeks');
  assert.equal(humanDuration(90 * 86_400_000), '3 months');
  assert.equal(humanDuration(800 * 86_400_000), '2 years');
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(4_261_234), '4.26MB');
  assert.equal(humanSize(1_234_567_890), '1.23GB');
  assert.equal(humanSize(4_000_000), '4MB');
  assert.equal(humanSize(1234, 4), '1.234kB');
  assert.equal(formatG(999.9, 3), '1e+03');
  assert.equal(bytesSize(25_275_822_080), '23.54GiB');
  assert.equal(ramInBytes('512m'), 512 * 1024 * 1024);
  assert.equal(ramInBytes('1g'), 1024 ** 3);
  assert.equal(ramInBytes('100'), 100);
  assert.throws(() => ramInBytes('lots'));
});

test('formats: table header from the template, json, \\t escapes', () => {
  const rows = [{ ID: 'abc', Names: 'web' }, { ID: 'def', Names: 'db' }];
  const spec = { defaultTable: 'table {{.ID}}\t{{.Names}}', headers: { ID: 'CONTAINER ID', Names: 'NAMES' } };
  assert.equal(render(rows, { ...spec, format: 'table' }), 'CONTAINER ID   NAMES\nabc            web\ndef            db\n');
  assert.equal(render(rows, { ...spec, format: 'table {{.Names}}' }), 'NAMES\nweb\ndb\n');
  assert.equal(render(rows, { ...spec, format: '{{.ID}}\\t{{.Names}}' }), 'abc\tweb\ndef\tdb\n');
  assert.equal(render(rows, { ...spec, format: 'json' }), '{"ID":"abc","Names":"web"}\n{"ID":"def","Names":"db"}\n');
  assert.equal(render([], { ...spec, format: 'table' }), 'CONTAINER ID   NAMES\n');
  assert.equal(preFormat('table', 'table X'), 'X');
  assert.equal(goJson({ a: '<&>' }), '{"a":"\\u003c\\u0026\\u003e"}');
});

test('ps columns: truncation, quoting, names, ports, sizes', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 10);
  const r = containerRow({
    Id: 'ce7b6a40bf654e702ccf5edc14876fb317bec561f5689b118a1708ac12d27ddd', Names: ['/web', '/other/link'], Image: 'busybox@sha256:' + 'a'.repeat(64),
    ImageID: 'sha256:' + 'b'.repeat(64), Command: 'sh -c "while true; do sleep 1; done"', Created: now / 1000 - 5, State: 'running', Status: 'Up 5 seconds',
    Ports: [{ PrivatePort: 80, Type: 'tcp' }], Labels: { a: '1' }, SizeRw: 0,
  }, { trunc: true, now });
  assert.equal(r.ID, 'ce7b6a40bf65');
  assert.equal(r.Command, '"sh -c \\"while true; …"');
  assert.equal(r.Names, 'web');
  assert.equal(r.Image, 'busybox');
  assert.equal(r.RunningFor, '5 seconds ago');
  assert.equal(r.CreatedAt, '2024-01-01 12:00:05 +0000 UTC');
  assert.equal(r.Ports, '80/tcp');
  assert.equal(r.Size, '0B');
  assert.equal(r.Platform, null);
  assert.equal(ellipsis('abcdef', 3), 'ab…');
  assert.equal(goQuote('a\tb"\\'), '"a\\tb\\"\\\\"');
  assert.equal(imageColumn('sha256:' + 'b'.repeat(64), 'sha256:' + 'b'.repeat(64), true), 'bbbbbbbbbbbb');
  assert.equal(render([r], { format: 'table', defaultTable: PS_TABLE, headers: PS_HEADERS }).split('\n')[0],
    'CONTAINER ID   IMAGE     COMMAND                   CREATED         STATUS         PORTS     NAMES');
});

test('DisplayablePorts: host bindings, ranges, protocols', () => {
  assert.equal(displayablePorts([
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { PrivatePort: 443, Type: 'tcp' }, { PrivatePort: 444, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' },
  ]), '443-444/tcp, 53/udp, 0.0.0.0:8080->80/tcp');
  assert.equal(displayablePorts([]), '');
});

test('images rows: one per repo:tag, dangling <none>, digests', () => {
  const now = Date.UTC(2024, 0, 1);
  const img = { Id: 'sha256:' + 'c'.repeat(64), RepoTags: ['busybox:latest', 'reg:5000/x/bb:1'], RepoDigests: ['busybox@sha256:' + 'd'.repeat(64)], Created: now / 1000 - 7200, Size: 4_261_234 };
  const rows = imageRows([img, { Id: 'sha256:' + 'e'.repeat(64), RepoTags: [], RepoDigests: [], Created: now / 1000, Size: 0 }], { trunc: true, digests: false, now });
  assert.deepEqual(rows.map((r) => `${r.Repository} ${r.Tag} ${r.ID} ${r.CreatedSince} ${r.Size}`), [
    'busybox latest cccccccccccc 2 hours ago 4.26MB', 'reg:5000/x/bb 1 cccccccccccc 2 hours ago 4.26MB', '<none> <none> eeeeeeeeeeee Less than a second ago 0B',
  ]);
  assert.equal(imageRows([img], { trunc: true, digests: true, now })[0].Digest, 'sha256:' + 'd'.repeat(64));
  assert.equal(render(rows.slice(0, 1), { format: 'table', defaultTable: IMAGES_TABLE, headers: IMAGE_HEADERS }),
    'REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nbusybox      latest    cccccccccccc   2 hours ago   4.26MB\n');
});

test('pull progress: non-TTY drops progress updates, prints statuses', () => {
  const r = new ProgressRenderer(false);
  const out = [
    { status: 'Pulling from library/busybox', id: 'latest' },
    { status: 'Pulling fs layer', id: 'abc', progressDetail: {} },
    { status: 'Downloading', id: 'abc', progressDetail: { current: 10, total: 100 }, progress: '[=>   ]' },
    { status: 'Pull complete', id: 'abc', progressDetail: {} },
    { status: 'Digest: sha256:x' },
    { status: 'Status: Downloaded newer image for busybox:latest' },
  ].map((m) => r.render(m)).join('');
  assert.equal(out, 'latest: Pulling from library/busybox\nabc: Pulling fs layer\nabc: Pull complete\nDigest: sha256:x\nStatus: Downloaded newer image for busybox:latest\n');
  const t = new ProgressRenderer(true);
  assert.match(t.render({ status: 'Downloading', id: 'abc', progressDetail: { current: 1, total: 2 }, progress: '[==>  ]' }), /\x1b\[1A\x1b\[2K\rabc: Downloading \[==>  \]\r\x1b\[1B/);
});

test('go time strings', () => {
  assert.equal(goTimeString(Date.UTC(2026, 10, 23, 11, 59, 50)), '2026-11-23 11:59:50 +0000 UTC');
  assert.equal(ansic('2026-11-03T11:58:12.000Z'), 'Tue Nov  3 11:58:12 2026');
});

test('image rows: Size with 3 significant digits, VirtualSize/SharedSize/UniqueSize with 4 (docker CLI)', () => {
  const [r] = imageRows([{ Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['busybox:latest'], RepoDigests: [], Created: 0, Size: 2064123, SharedSize: 1000, Containers: -1 }], { trunc: true, digests: false, now: 0 });
  assert.equal(r.Size, '2.06MB');
  assert.equal(r.VirtualSize, '2.064MB');
  assert.equal(r.SharedSize, '1kB');
  assert.equal(r.UniqueSize, '2.063MB');
});
