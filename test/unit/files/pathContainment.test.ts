import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLocationInside, isPathInside, isRealPathInside } from '../../../src/core/files/pathContainment';
import { temporaryDirectory } from '../temporaryDirectory';

const file = (fsPath: string): { scheme: string; authority: string; path: string; fsPath: string } => ({ scheme: 'file', authority: '', path: fsPath, fsPath });

describe('isPathInside', () => {
  it('accepts files under the folder and the folder itself', () => {
    assert.equal(isPathInside('/work/a', '/work/a/refs.bib', 'posix'), true);
    assert.equal(isPathInside('/work/a', '/work/a/sub/dir/refs.bib', 'posix'), true);
    assert.equal(isPathInside('/work/a', '/work/a', 'posix'), true);
    assert.equal(isPathInside('/work/a/', '/work/a', 'posix'), true);
    assert.equal(isPathInside('/work/a', 'refs.bib', 'posix'), true, 'a relative path is taken from the folder');
    assert.equal(isPathInside('/work/a', '/work/a/..refs.bib', 'posix'), true, 'a name that starts with two dots is no escape');
  });

  it('refuses `..` escapes once normalised, and keeps `..` that stays inside', () => {
    assert.equal(isPathInside('/work/a', '/work/a/../b/refs.bib', 'posix'), false);
    assert.equal(isPathInside('/work/a', '../../etc/passwd', 'posix'), false);
    assert.equal(isPathInside('/work/a', 'sub/../../a/refs.bib', 'posix'), true);
    assert.equal(isPathInside('/work/a', 'sub/../../../work/a-copy/refs.bib', 'posix'), false);
  });

  it('refuses absolute paths elsewhere', () => {
    assert.equal(isPathInside('/work/a', '/etc/passwd', 'posix'), false);
    assert.equal(isPathInside('/work/a', '/', 'posix'), false);
    assert.equal(isPathInside('/', '/etc/passwd', 'posix'), true, 'a folder at the root holds everything');
  });

  it('is not fooled by a shared prefix', () => {
    assert.equal(isPathInside('/work/a', '/work/ab', 'posix'), false);
    assert.equal(isPathInside('/work/a', '/work/ab/refs.bib', 'posix'), false);
    assert.equal(isPathInside('C:\\work\\a', 'C:\\work\\ab\\refs.bib', 'win32'), false);
  });

  it('understands Windows drive paths, back slashes and case', () => {
    assert.equal(isPathInside('c:\\work\\a', 'C:\\Work\\A\\refs.bib', 'win32'), true);
    assert.equal(isPathInside('c:\\work\\a', 'c:/work/a/sub/refs.bib', 'win32'), true);
    assert.equal(isPathInside('c:\\work\\a', 'd:\\work\\a\\refs.bib', 'win32'), false, 'another drive');
    assert.equal(isPathInside('c:\\work\\a', 'c:\\work\\a\\..\\secret.bib', 'win32'), false);
    assert.equal(isPathInside('c:\\work\\a', '..\\..\\Users\\me\\.ssh\\id_rsa', 'win32'), false);
    assert.equal(isPathInside('c:\\work\\a', '\\Windows\\win.ini', 'win32'), false, 'rooted on the same drive');
    assert.equal(isPathInside('c:\\work\\a', '\\\\server\\share\\refs.bib', 'win32'), false, 'a UNC path');
    assert.equal(isPathInside('C:\\', 'c:\\work\\refs.bib', 'win32'), true);
    assert.equal(isPathInside('/work/a', '/work/A/refs.bib', 'posix'), false, 'POSIX compares case');
  });
});

describe('isRealPathInside', () => {
  it('follows symbolic links out of the folder, and keeps links that stay inside', { skip: process.platform === 'win32' }, async () => {
    const root = temporaryDirectory('biowrite-contain-');
    const workspace = join(root, 'workspace');
    const outside = join(root, 'outside');
    mkdirSync(join(workspace, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.bib'), '@article{x,}');
    writeFileSync(join(workspace, 'refs.bib'), '@article{y,}');
    symlinkSync(join(outside, 'secret.bib'), join(workspace, 'linked.bib'));
    symlinkSync(outside, join(workspace, 'linked-dir'));
    symlinkSync(join(workspace, 'refs.bib'), join(workspace, 'sub', 'inner.bib'));
    symlinkSync(join(outside, 'missing.bib'), join(workspace, 'dangling.bib'));

    assert.equal(await isRealPathInside([workspace], join(workspace, 'refs.bib')), true);
    assert.equal(await isRealPathInside([workspace], join(workspace, 'sub', 'inner.bib')), true);
    assert.equal(await isRealPathInside([workspace], join(workspace, 'not-yet.bib')), true, 'a missing file inside may be created later');
    assert.equal(await isRealPathInside([workspace], join(workspace, 'linked.bib')), false, 'a linked file outside');
    assert.equal(await isRealPathInside([workspace], join(workspace, 'linked-dir', 'secret.bib')), false, 'a file in a linked folder');
    assert.equal(await isRealPathInside([workspace], join(workspace, 'linked-dir', 'new.bib')), false, 'a missing file in a linked folder');
    assert.equal(await isRealPathInside([workspace], join(workspace, 'dangling.bib')), false, 'a dangling link would be created outside');
    assert.equal(await isRealPathInside([workspace], join(outside, 'secret.bib')), false);
    assert.equal(await isRealPathInside([join(root, 'missing'), workspace], join(workspace, 'refs.bib')), true, 'any of several folders');
  });

  it('accepts a folder opened through a symbolic link', { skip: process.platform === 'win32' }, async () => {
    const root = temporaryDirectory('biowrite-contain-');
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'refs.bib'), '');
    symlinkSync(join(root, 'real'), join(root, 'opened'));
    assert.equal(await isRealPathInside([join(root, 'opened')], join(root, 'opened', 'refs.bib')), true);
    assert.equal(await isRealPathInside([join(root, 'opened')], join(root, 'opened', '..', 'real', 'refs.bib')), false, 'the lexical check comes first');
  });
});

describe('isLocationInside', () => {
  it('checks file locations on disk and other schemes by their path', async () => {
    const workspace = temporaryDirectory('biowrite-contain-');
    writeFileSync(join(workspace, 'refs.bib'), '');
    assert.equal(await isLocationInside(file(join(workspace, 'refs.bib')), [file(workspace)]), true);
    assert.equal(await isLocationInside(file(join(workspace, '..', 'refs.bib')), [file(workspace)]), false);
    const remote = (path: string, authority = 'github'): { scheme: string; authority: string; path: string; fsPath: string } => ({ scheme: 'vscode-vfs', authority, path, fsPath: path });
    assert.equal(await isLocationInside(remote('/me/paper/refs.bib'), [remote('/me/paper')]), true);
    assert.equal(await isLocationInside(remote('/me/paper-2/refs.bib'), [remote('/me/paper')]), false);
    assert.equal(await isLocationInside(remote('/me/paper/refs.bib', 'other'), [remote('/me/paper')]), false, 'another authority');
    assert.equal(await isLocationInside(file('/me/paper/refs.bib'), [remote('/me/paper')]), false, 'another scheme');
    assert.equal(await isLocationInside(file('/anything'), []), false, 'no folder: nothing is inside');
  });
});
