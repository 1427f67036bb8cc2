// goleaklint for VS Code: a thin client that starts `goleaklint lsp` on stdio.
//
// Plain JavaScript on purpose: there is no build step, so `vsce package` works
// straight from a checkout. Everything the editor shows (diagnostics, related
// information, quick fixes) comes from the language server.
'use strict';

const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, RevealOutputChannelOn } = require('vscode-languageclient/node');

const SECTION = 'goleaklint';

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;
/** File watchers of the current client (the client does not dispose raw watchers itself). */
let watchers = [];
/** Serialises start / stop / restart so that overlapping requests do not race. */
let pending = Promise.resolve();

function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0] : undefined;
}

/** Expands `~` and `${workspaceFolder}` / `${userHome}` in a path setting. */
function expandPath(value, folder) {
  if (typeof value !== 'string' || value === '') {
    return value;
  }
  let result = value;
  if (folder) {
    result = result.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  }
  result = result.replace(/\$\{userHome\}/g, os.homedir());
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = path.join(os.homedir(), result.slice(1));
  }
  return result;
}

/** The binary to run: `goleaklint.path`, resolved against the workspace folder if relative. */
function serverCommand(folder) {
  const config = vscode.workspace.getConfiguration(SECTION, folder ? folder.uri : undefined);
  let command = expandPath(config.get('path', 'goleaklint') || 'goleaklint', folder);
  // A bare name ("goleaklint") is looked up on PATH; a relative path with a
  // separator ("./bin/goleaklint") is taken relative to the workspace folder.
  if (folder && !path.isAbsolute(command) && /[\\/]/.test(command)) {
    command = path.join(folder.uri.fsPath, command);
  }
  return command;
}

/**
 * The settings object of the contract, sent as initializationOptions:
 * { enable: [rule...], disable: [rule...], configFile: "path", tests: true }.
 * The same keys reach the server later through workspace/didChangeConfiguration
 * (as settings.goleaklint, together with `path` and `trace`, which it ignores).
 */
function serverSettings(folder) {
  const config = vscode.workspace.getConfiguration(SECTION, folder ? folder.uri : undefined);
  return {
    enable: config.get('enable', []),
    disable: config.get('disable', []),
    configFile: expandPath(config.get('configFile', ''), folder),
    tests: config.get('tests', true),
  };
}

function createClient() {
  const folder = firstWorkspaceFolder();
  const command = serverCommand(folder);
  const options = {};
  if (folder) {
    // Same working directory as `goleaklint ./...` run at the workspace root, so
    // `.goleaklint.toml` is found the same way and relative paths agree.
    options.cwd = folder.uri.fsPath;
  }

  watchers = [
    vscode.workspace.createFileSystemWatcher('**/.goleaklint.toml'),
    vscode.workspace.createFileSystemWatcher('**/go.mod'),
  ];

  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = {
    run: { command, args: ['lsp'], options },
    debug: { command, args: ['lsp'], options },
  };

  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'go' }],
    initializationOptions: serverSettings(folder),
    synchronize: {
      configurationSection: SECTION,
      fileEvents: watchers,
    },
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };

  // The id 'goleaklint' makes the client honour the `goleaklint.trace.server` setting.
  return new LanguageClient(SECTION, 'goleaklint', serverOptions, clientOptions);
}

async function startClient() {
  const next = createClient();
  client = next;
  try {
    await next.start();
  } catch (err) {
    const command = serverCommand(firstWorkspaceFolder());
    const message = err && err.message ? err.message : String(err);
    const notFound = /ENOENT|not found|spawn/i.test(message);
    const text = notFound
      ? `goleaklint: could not start "${command} lsp". Install goleaklint and put it on PATH ` +
        `or set "goleaklint.path" to the binary.`
      : `goleaklint: the language server failed to start: ${message}`;
    const choice = await vscode.window.showErrorMessage(text, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'goleaklint.path');
    } else if (choice === 'Show Output' && outputChannel) {
      outputChannel.show(true);
    }
  }
}

async function stopClient() {
  const current = client;
  client = undefined;
  for (const watcher of watchers) {
    watcher.dispose();
  }
  watchers = [];
  if (!current) {
    return;
  }
  try {
    if (current.isRunning()) {
      await current.stop();
    }
  } catch (err) {
    // A server that already died cannot be stopped cleanly; dispose anyway.
  }
  try {
    await current.dispose();
  } catch (err) {
    // Ignore: nothing left to clean up.
  }
}

function queue(task) {
  pending = pending.then(task, task);
  return pending;
}

function restart() {
  return queue(async () => {
    await stopClient();
    await startClient();
  });
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  outputChannel = vscode.window.createOutputChannel('goleaklint');
  context.subscriptions.push(outputChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand('goleaklint.restart', async () => {
      await restart();
      if (client && client.isRunning()) {
        vscode.window.setStatusBarMessage('goleaklint: language server restarted', 3000);
      }
    }),
    vscode.commands.registerCommand('goleaklint.showOutput', () => {
      if (outputChannel) {
        outputChannel.show(true);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Rule settings travel to the running server through
      // workspace/didChangeConfiguration; a new binary needs a new process.
      if (event.affectsConfiguration('goleaklint.path')) {
        restart();
      }
    })
  );

  return queue(startClient);
}

function deactivate() {
  return queue(stopClient);
}

module.exports = { activate, deactivate };
