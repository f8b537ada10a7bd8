import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpDate, isoTime } from './iso-time.ts';

test('isoTime writes what Date#toISOString writes', () => {
  const samples = [0, 1, 999, 86_399_999, 951_782_400_000, 1_700_000_000_123, Date.now(), -1, -62_135_596_800_000, 253_402_300_799_999, 253_402_300_800_000, -62_135_596_800_001];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor((Math.random() - 0.3) * 2.6e14));
  for (const t of samples) assert.equal(isoTime(t), new Date(t).toISOString(), String(t));
  assert.equal(isoTime(new Date(5)), '1970-01-01T00:00:00.005Z');
  assert.throws(() => isoTime(Number.NaN), RangeError);
});

test('httpDate writes what Date#toUTCString writes', () => {
  const samples = [0, 951_782_400_000, 1_700_000_000_123, Date.now(), 253_402_300_799_999];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 2.5e14));
  for (const t of samples) assert.equal(httpDate(t), new Date(t).toUTCString(), String(t));
});
