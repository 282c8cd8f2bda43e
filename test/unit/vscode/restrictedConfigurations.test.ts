import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Property {
  readonly scope?: string;
  readonly description?: string;
  readonly markdownDescription?: string;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, Property> } | { properties: Record<string, Property> }[] };
};
const sections = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
const properties = Object.assign({}, ...sections.map((section) => section.properties)) as Record<string, Property>;
const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];

describe('Restricted Mode settings (package.json)', () => {
  it('ignores the workspace\'s value of every setting that names a file to read', () => {
    for (const key of ['biowrite.sources.libraryFiles', 'biowrite.translation.glossaryFile']) assert.ok(restricted.includes(key), key);
  });

  it('covers every workspace-settable setting whose name says it holds paths', () => {
    const pathLike = Object.entries(properties)
      .filter(([key, property]) => /(?:File|Files|Path|Paths|Dir|Directory)$/.test(key) && property.scope !== 'application' && property.scope !== 'machine')
      .map(([key]) => key);
    assert.ok(pathLike.length > 0);
    for (const key of pathLike) assert.ok(restricted.includes(key), `${key} is missing from restrictedConfigurations`);
  });

  it('lists only settings the extension contributes and a workspace could set', () => {
    for (const key of restricted) {
      assert.ok(properties[key], `${key} is not a contributed setting`);
      assert.notEqual(properties[key].scope, 'application', `${key} is application-scoped already`);
    }
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});
