import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from '../temporaryDirectory';

// Slow (it retrains every model): run with BIOWRITE_SLOW_TESTS=1 and ../shared/data present.
const data = process.env.BIOWRITE_SHARED_DATA ?? join('..', 'shared', 'data');
const enabled = process.env.BIOWRITE_SLOW_TESTS === '1' && existsSync(join(data, 'manuscripts'));

test('the shipped model file is exactly what `npm run train:claims` produces', { skip: enabled ? false : 'set BIOWRITE_SLOW_TESTS=1 (needs ../shared/data)', timeout: 600_000 }, () => {
  const dir = temporaryDirectory('biowrite-train-');
  try {
    const out = join(dir, 'claimModel.json');
    const result = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'claims', 'train.ts'), '--out', out], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join('src', 'core', 'claims', 'claimModel.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
