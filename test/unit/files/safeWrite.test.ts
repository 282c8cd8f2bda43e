import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoSymbolicLinks, writeFileInFolder } from '../../../src/core/files/safeWrite';
import { temporaryDirectory } from '../temporaryDirectory';

const posixOnly = { skip: process.platform === 'win32' };

describe('writeFileInFolder', () => {
  it('creates the missing folder and the file, and replaces it on the next write', async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    await writeFileInFolder(workspace, '.biowrite/ignore.json', '{"version":1,"sentences":[]}\n');
    assert.equal(readFileSync(join(workspace, '.biowrite', 'ignore.json'), 'utf8'), '{"version":1,"sentences":[]}\n');
    await writeFileInFolder(workspace, '.biowrite/ignore.json', 'second');
    assert.equal(readFileSync(join(workspace, '.biowrite', 'ignore.json'), 'utf8'), 'second');
    assert.deepEqual(readdirSync(join(workspace, '.biowrite')), ['ignore.json'], 'no temporary file is left');
  });

  it('keeps the permissions of the file it replaces', posixOnly, async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    mkdirSync(join(workspace, '.biowrite'));
    writeFileSync(join(workspace, '.biowrite', 'ignore.json'), 'old');
    chmodSync(join(workspace, '.biowrite', 'ignore.json'), 0o640);
    await writeFileInFolder(workspace, '.biowrite/ignore.json', 'new');
    assert.equal(statSync(join(workspace, '.biowrite', 'ignore.json')).mode & 0o777, 0o640);
  });

  it('refuses to write through a linked file, and leaves its target alone', posixOnly, async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    const outside = temporaryDirectory('biowrite-outside-');
    writeFileSync(join(outside, 'bashrc'), 'original');
    mkdirSync(join(workspace, '.biowrite'));
    symlinkSync(join(outside, 'bashrc'), join(workspace, '.biowrite', 'ignore.json'));
    await assert.rejects(writeFileInFolder(workspace, '.biowrite/ignore.json', 'overwritten'), /\.biowrite\/ignore\.json is a symbolic link.*regular file/);
    assert.equal(readFileSync(join(outside, 'bashrc'), 'utf8'), 'original');
    assert.deepEqual(readdirSync(join(workspace, '.biowrite')), ['ignore.json'], 'no temporary file is left');
  });

  it('refuses a dangling link, which would create a file elsewhere', posixOnly, async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    const outside = temporaryDirectory('biowrite-outside-');
    mkdirSync(join(workspace, '.biowrite'));
    symlinkSync(join(outside, 'created'), join(workspace, '.biowrite', 'ignore.json'));
    await assert.rejects(writeFileInFolder(workspace, '.biowrite/ignore.json', 'x'), /symbolic link/);
    assert.equal(existsSync(join(outside, 'created')), false);
  });

  it('refuses to write into a linked folder', posixOnly, async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    const outside = temporaryDirectory('biowrite-outside-');
    symlinkSync(outside, join(workspace, '.biowrite'));
    await assert.rejects(writeFileInFolder(workspace, '.biowrite/ignore.json', 'x'), /\.biowrite is a symbolic link.*regular folder/);
    assert.deepEqual(readdirSync(outside), [], 'nothing is written where the link points');
  });

  it('refuses a folder in the way of the file, and a file in the way of the folder', async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    mkdirSync(join(workspace, '.biowrite', 'ignore.json'), { recursive: true });
    await assert.rejects(writeFileInFolder(workspace, '.biowrite/ignore.json', 'x'), /not a regular file/);
    const other = temporaryDirectory('biowrite-write-');
    writeFileSync(join(other, '.biowrite'), 'a file');
    await assert.rejects(writeFileInFolder(other, '.biowrite/ignore.json', 'x'), /not a folder/);
  });

  it('accepts no path that leaves the folder', async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    await assert.rejects(writeFileInFolder(workspace, '../escape.json', 'x'), /inside the folder/);
    await assert.rejects(writeFileInFolder(workspace, '/tmp/escape.json', 'x'), /inside the folder/);
    await assert.rejects(writeFileInFolder(workspace, '', 'x'), /inside the folder/);
  });

  it('removes its temporary file when the rename fails', async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    const failing = async (): Promise<void> => {
      throw new Error('EXDEV: simulated');
    };
    await assert.rejects(writeFileInFolder(workspace, '.biowrite/ignore.json', 'x', { rename: failing }), /simulated/);
    assert.deepEqual(readdirSync(join(workspace, '.biowrite')), [], 'neither the file nor a temporary file is there');
  });
});

describe('assertNoSymbolicLinks', () => {
  it('passes missing and regular paths, and names the link it finds', posixOnly, async () => {
    const workspace = temporaryDirectory('biowrite-write-');
    await assertNoSymbolicLinks(workspace, '.biowrite/ignore.json');
    const outside = temporaryDirectory('biowrite-outside-');
    symlinkSync(outside, join(workspace, '.biowrite'));
    await assert.rejects(assertNoSymbolicLinks(workspace, '.biowrite/ignore.json'), /\.biowrite is a symbolic link/);
  });
});
