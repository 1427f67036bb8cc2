#!/usr/bin/env node
// A stand-in for `goleaklint lsp` used by client.test.js: it speaks LSP on
// stdio, logs every message it receives (one JSON line each) to the file named
// by FAKE_SERVER_LOG, and publishes one diagnostic for each opened document.
'use strict';
const fs = require('fs');
const path = require('path');
const rpc = require(path.join(__dirname, '..', 'node_modules', 'vscode-jsonrpc', 'node'));

const log = (entry) => fs.appendFileSync(process.env.FAKE_SERVER_LOG, JSON.stringify(entry) + '\n');
log({ method: 'argv', params: process.argv.slice(2), cwd: process.cwd() });

const connection = rpc.createMessageConnection(
  new rpc.StreamMessageReader(process.stdin),
  new rpc.StreamMessageWriter(process.stdout)
);
connection.onRequest((method, params) => {
  log({ method, params });
  if (method === 'initialize') {
    return {
      capabilities: { textDocumentSync: { openClose: true, change: 1 }, codeActionProvider: true },
      serverInfo: { name: 'fake-goleaklint', version: '0.0.0' },
    };
  }
  if (method === 'shutdown') {
    return null;
  }
  return null;
});
connection.onNotification((method, params) => {
  log({ method, params });
  if (method === 'textDocument/didOpen') {
    connection.sendNotification('textDocument/publishDiagnostics', {
      uri: params.textDocument.uri,
      diagnostics: [
        {
          range: { start: { line: 2, character: 1 }, end: { line: 2, character: 9 } },
          severity: 2,
          source: 'goleaklint',
          code: 'abandoned-send',
          message: 'goroutine may block forever sending on ch',
        },
      ],
    });
  }
  if (method === 'exit') {
    process.exit(0);
  }
});
connection.listen();
