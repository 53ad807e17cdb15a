import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ImageInfo, PullProgress } from '../../../engine/api';
import { formatAge, formatBytes, imageDescription, imageTooltip, shortDigest } from '../../../extension/views/imageRows';
import { PullTally } from '../../../extension/views/pullProgress';

const now = new Date('2026-01-10T12:00:00Z');
const image: ImageInfo = {
  name: 'docker.io/library/alpine:3.20',
  shortName: 'alpine:3.20',
  digest: `sha256:${'0123456789abcdef'.repeat(4)}`,
  size: 3_623_807,
  platform: 'linux/amd64',
  created: '2026-01-07T11:00:00Z',
  pulledAt: '2026-01-10T11:55:00Z',
  usedBy: ['web-abc123'],
};

describe('Images view rows', () => {
  test('short digest keeps the algorithm and 12 hex digits; anything else is shown as is', () => {
    assert.equal(shortDigest(image.digest), 'sha256:0123456789ab');
    assert.equal(shortDigest('weird'), 'weird');
  });

  test('sizes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3_623_807), '3.5 MiB');
    assert.equal(formatBytes(189 * 1024 * 1024), '189 MiB');
    assert.equal(formatBytes(-1), '');
  });

  test('age is coarse and singular/plural', () => {
    assert.equal(formatAge('2026-01-10T11:59:30Z', now), 'just now');
    assert.equal(formatAge('2026-01-10T11:59:00Z', now), '1 minute ago');
    assert.equal(formatAge('2026-01-07T11:00:00Z', now), '3 days ago');
    assert.equal(formatAge('2024-01-01T00:00:00Z', now), '2 years ago');
    assert.equal(formatAge(undefined, now), '');
    assert.equal(formatAge('not a date', now), '');
  });

  test('description: digest, size, and the age of the image (its created date, not the pull)', () => {
    assert.equal(imageDescription(image, now), 'sha256:0123456789ab · 3.5 MiB · 3 days ago');
    const { created: _, ...noCreated } = image;
    assert.equal(imageDescription(noCreated, now), 'sha256:0123456789ab · 3.5 MiB · 5 minutes ago');
  });

  test('tooltip names the full reference, digest and the sandboxes using it', () => {
    const t = imageTooltip(image, now);
    assert.match(t, /docker\.io\/library\/alpine:3\.20/);
    assert.match(t, new RegExp(image.digest));
    assert.match(t, /used by: web-abc123/);
    assert.match(imageTooltip({ ...image, usedBy: [] }, now), /used by no sandbox/);
  });
});

describe('pull progress tally', () => {
  const ev = (digest: string, bytes: number, total: number, over: Partial<PullProgress> = {}): PullProgress => ({ digest, bytes, total, cached: false, done: false, ...over });

  test('adds bytes across blobs, counts done and cached blobs, increments add up to 100', () => {
    const t = new PullTally();
    t.add(ev('sha256:a', 0, 1024, { cached: true, done: true }));
    t.add(ev('sha256:b', 512, 2048));
    t.add(ev('sha256:c', 1024, 2048));
    assert.equal(t.bytes, 1536);
    assert.equal(t.message(), '1 of 3 blobs (1 cached) · 1.5 KiB of 4.0 KiB');
    let sum = t.increment();
    assert.equal(sum, 37.5);
    t.add(ev('sha256:b', 2048, 2048, { done: true }));
    t.add(ev('sha256:c', 2048, 2048, { done: true }));
    sum += t.increment();
    assert.equal(sum, 100);
    assert.equal(t.increment(), 0, 'nothing new, no growth');
    assert.equal(t.message(), '3 of 3 blobs (1 cached) · 4.0 KiB of 4.0 KiB');
  });

  test('a blob that starts later never makes the bar go back', () => {
    const t = new PullTally();
    t.add(ev('sha256:a', 1000, 1000, { done: true }));
    assert.equal(t.increment(), 100);
    t.add(ev('sha256:b', 0, 1000));
    assert.equal(t.increment(), 0);
  });
});
