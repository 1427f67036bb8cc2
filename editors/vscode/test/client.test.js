// Runs extension.js against a mock `vscode` module and a fake language server
// (test/fake-server.js) and checks what the server is started with and sent:
// the `lsp` argument, the working directory, initializationOptions, the
// documents it is told about, workspace/didChangeConfiguration, the restart
// command and a clean shutdown. Run with `npm test` after `npm ci`.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');
const { createVscode, textDocument } = require('./vscode-mock');

// `require('vscode')` anywhere answers with the current mock.
let current = createVscode({ folder: os.tmpdir(), settings: {}, documents: [] });
const forward = new Proxy(
  {},
  {
    get: (_, prop) => current.vscode[prop],
    has: (_, prop) => prop in current.vscode,
  }
);
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return forward;
  return originalLoad.apply(this, arguments);
};

const extension = require('../extension.js');
const fakeServer = path.join(__dirname, 'fake-server.js');

function readLog(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function waitFor(what, predicate, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function setup(settings) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goleaklint-vscode-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'go.mod'), 'module example.com/ws\n\ngo 1.22\n');
  const goFile = path.join(workspace, 'main.go');
  const text = 'package main\n\nfunc main() {}\n';
  fs.writeFileSync(goFile, text);
  const logFile = path.join(dir, 'server.log');
  process.env.FAKE_SERVER_LOG = logFile;
  current = createVscode({ folder: workspace, settings, documents: [textDocument(goFile, text)] });
  const context = { subscriptions: [], extensionPath: path.join(__dirname, '..') };
  return { dir, workspace, goFile, logFile, context };
}

test('starts `<path> lsp` with the settings and speaks LSP', async () => {
  const env = setup({
    'goleaklint.path': fakeServer,
    'goleaklint.enable': ['lost-cancel'],
    'goleaklint.disable': ['unused-suppression'],
    'goleaklint.configFile': '${workspaceFolder}/lint/.goleaklint.toml',
    'goleaklint.tests': false,
    'goleaklint.trace.server': 'off',
  });
  try {
    await extension.activate(env.context);
    const log = () => readLog(env.logFile);

    const argv = await waitFor('server start', () => log().find((m) => m.method === 'argv'));
    assert.deepEqual(argv.params, ['lsp']);
    assert.equal(fs.realpathSync(argv.cwd), fs.realpathSync(env.workspace));

    const init = await waitFor('initialize', () => log().find((m) => m.method === 'initialize'));
    assert.deepEqual(init.params.initializationOptions, {
      enable: ['lost-cancel'],
      disable: ['unused-suppression'],
      configFile: path.join(env.workspace, 'lint', '.goleaklint.toml'),
      tests: false,
    });
    assert.ok(init.params.rootUri.startsWith('file://'));

    // The Go document open in the editor is sent, and the server's diagnostics shown.
    const open = await waitFor('didOpen', () => log().find((m) => m.method === 'textDocument/didOpen'));
    assert.equal(open.params.textDocument.languageId, 'go');
    assert.ok(open.params.textDocument.uri.endsWith('/ws/main.go'));
    const shown = await waitFor('diagnostics', () => {
      for (const [uri, diags] of current.state.diagnostics) {
        if (uri.endsWith('/ws/main.go') && diags.length > 0) return diags;
      }
      return undefined;
    });
    assert.equal(shown[0].message, 'goroutine may block forever sending on ch');
    assert.equal(shown[0].code, 'abandoned-send');

    // The client pushes the `goleaklint` section after initialization ...
    const pushed = await waitFor('didChangeConfiguration', () =>
      log().find((m) => m.method === 'workspace/didChangeConfiguration')
    );
    assert.deepEqual(pushed.params.settings.goleaklint.disable, ['unused-suppression']);
    assert.equal(pushed.params.settings.goleaklint.tests, false);

    // ... and again when a setting changes.
    current.state.settings['goleaklint.disable'] = ['unused-suppression', 'unused-suppression'];
    current.state.onDidChangeConfiguration.fire({
      affectsConfiguration: (s) => s === 'goleaklint' || s === 'goleaklint.disable',
    });
    await waitFor('second didChangeConfiguration', () => {
      const all = log().filter((m) => m.method === 'workspace/didChangeConfiguration');
      return all.length >= 2 && all[all.length - 1].params.settings.goleaklint.disable.includes('unused-suppression');
    });

    // The restart command stops the server cleanly and starts a new one.
    await current.state.commands.get('goleaklint.restart')();
    await waitFor('restart', () => log().filter((m) => m.method === 'initialize').length === 2);
    const afterRestart = log();
    assert.ok(afterRestart.some((m) => m.method === 'shutdown'));
    assert.ok(afterRestart.some((m) => m.method === 'exit'));
    const secondInit = afterRestart.filter((m) => m.method === 'initialize')[1];
    assert.deepEqual(secondInit.params.initializationOptions.disable, ['unused-suppression', 'unused-suppression']);

    await extension.deactivate();
    const final = log();
    assert.equal(final.filter((m) => m.method === 'shutdown').length, 2);
    // `exit` is a notification: the client does not wait for the server to log it.
    await waitFor('second exit', () => log().filter((m) => m.method === 'exit').length === 2);
    assert.deepEqual(current.state.errors, []);
  } finally {
    fs.rmSync(env.dir, { recursive: true, force: true });
  }
});

test('a missing binary gives an error message naming goleaklint.path', async () => {
  const env = setup({ 'goleaklint.path': path.join(os.tmpdir(), 'no-such-goleaklint-binary') });
  try {
    await extension.activate(env.context);
    const message = await waitFor('error message', () =>
      current.state.errors.find((m) => m.includes('goleaklint.path'))
    );
    assert.match(message, /could not start/);
    await extension.deactivate();
  } finally {
    fs.rmSync(env.dir, { recursive: true, force: true });
  }
});
