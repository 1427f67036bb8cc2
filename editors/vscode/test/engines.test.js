// Every package in package-lock.json, the packaging tool @vscode/vsce included, must run on
// the oldest Node.js the build supports: Debian 12's Node 18, so that `scripts/test.sh` works
// with the distribution's `nodejs` package. A dependency bump that needs a newer Node fails here.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const semver = require('semver');

const OLDEST_NODE = '18.19.0';

test(`every locked package runs on Node ${OLDEST_NODE}`, () => {
  const lock = require(path.join(__dirname, '..', 'package-lock.json'));
  const refused = Object.entries(lock.packages)
    .filter(([name, pkg]) => name && pkg.engines && typeof pkg.engines.node === 'string')
    .filter(([, pkg]) => !semver.satisfies(OLDEST_NODE, pkg.engines.node))
    .map(([name, pkg]) => `${name.replace(/^node_modules\//, '')} wants node ${pkg.engines.node}`);
  assert.deepEqual(refused, []);
});

test('package.json declares the same oldest Node', () => {
  const pkg = require(path.join(__dirname, '..', 'package.json'));
  assert.ok(semver.satisfies(OLDEST_NODE, pkg.engines.node), pkg.engines.node);
});
