// A small stand-in for the `vscode` module: enough of the API for
// vscode-languageclient to start a real server process, open a document,
// receive diagnostics and push configuration. Anything not written out here is
// answered by a permissive stub (functions returning disposables), so a
// feature the client registers but the test does not use stays harmless.
'use strict';

const path = require('path');
const { EventEmitter: NodeEmitter } = require('events');

function stub(name) {
  const fn = function () {
    return stub(`${name}()`);
  };
  return new Proxy(fn, {
    get(target, prop) {
      if (prop === 'then') return undefined; // never look like a Promise
      if (prop === 'dispose') return () => {};
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'toString') return () => name;
      return stub(`${name}.${String(prop)}`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

const genericClasses = new Map();

/** A plain class for an API class the mock does not write out (extended by the client's Protocol* items). */
function genericClass(name) {
  if (!genericClasses.has(name)) {
    const cls = class {
      constructor(...args) {
        this.args = args;
      }
    };
    Object.defineProperty(cls, 'name', { value: name });
    genericClasses.set(name, cls);
  }
  return genericClasses.get(name);
}

function withFallback(name, obj) {
  return new Proxy(obj, {
    get(target, prop) {
      if (prop in target) return target[prop];
      if (prop === 'then') return undefined;
      if (name === 'vscode' && typeof prop === 'string' && /^[A-Z]/.test(prop)) return genericClass(prop);
      return stub(`${name}.${String(prop)}`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this._e = new NodeEmitter();
    this._e.setMaxListeners(0);
    this.event = (listener, thisArg, disposables) => {
      const l = (e) => listener.call(thisArg, e);
      this._e.on('e', l);
      const d = new Disposable(() => this._e.off('e', l));
      if (Array.isArray(disposables)) disposables.push(d);
      return d;
    };
  }
  fire(e) {
    this._e.emit('e', e);
  }
  dispose() {
    this._e.removeAllListeners();
  }
}

class Uri {
  constructor(scheme, fsPath) {
    this.scheme = scheme;
    this.fsPath = fsPath;
    this.path = fsPath;
  }
  static file(p) {
    return new Uri('file', path.resolve(p));
  }
  static parse(s) {
    const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(s);
    if (m && m[1] === 'file') return new Uri('file', decodeURIComponent(m[2]));
    return new Uri(m ? m[1] : 'file', m ? m[2] : s);
  }
  toString() {
    return this.scheme === 'file' ? 'file://' + encodeURI(this.fsPath) : `${this.scheme}://${this.path}`;
  }
  toJSON() {
    return this.toString();
  }
  with() {
    return this;
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}
class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    } else {
      this.start = a;
      this.end = b;
    }
  }
}
class Location {
  constructor(uri, range) {
    this.uri = uri;
    this.range = range;
  }
}
class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}
class DiagnosticRelatedInformation {
  constructor(location, message) {
    this.location = location;
    this.message = message;
  }
}
class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
    this._emitter = emitter;
  }
  cancel() {
    this.token.isCancellationRequested = true;
    this._emitter.fire();
  }
  dispose() {}
}
class CancellationError extends Error {}

/**
 * Builds a mock `vscode` module.
 * @param {{folder: string, settings: object, documents: object[]}} opts
 */
function createVscode(opts) {
  const state = {
    settings: opts.settings, // flat: { 'goleaklint.path': ..., ... }
    diagnostics: new Map(), // uri string -> Diagnostic[]
    commands: new Map(),
    errors: [],
    output: [],
    onDidChangeConfiguration: new EventEmitter(),
    onDidOpenTextDocument: new EventEmitter(),
  };
  const folder = { uri: Uri.file(opts.folder), name: path.basename(opts.folder), index: 0 };

  const configuration = (section) =>
    withFallback('configuration', {
      get(key, def) {
        const full = section ? `${section}.${key}` : key;
        if (full in state.settings) return state.settings[full];
        // A whole section: collect its keys into a nested object.
        const prefix = full + '.';
        const keys = Object.keys(state.settings).filter((k) => k.startsWith(prefix));
        if (keys.length === 0) return def;
        const out = {};
        for (const k of keys) {
          const parts = k.slice(prefix.length).split('.');
          let cur = out;
          for (const p of parts.slice(0, -1)) cur = cur[p] = cur[p] || {};
          cur[parts[parts.length - 1]] = state.settings[k];
        }
        return out;
      },
      has(key) {
        return `${section}.${key}` in state.settings;
      },
      inspect() {
        return undefined;
      },
      update() {
        return Promise.resolve();
      },
    });

  const diagnosticCollection = (name) =>
    withFallback('diagnosticCollection', {
      name,
      set(uri, diags) {
        if (Array.isArray(uri)) {
          for (const [u, d] of uri) state.diagnostics.set(u.toString(), d || []);
        } else {
          state.diagnostics.set(uri.toString(), diags || []);
        }
      },
      delete(uri) {
        state.diagnostics.delete(uri.toString());
      },
      clear() {
        state.diagnostics.clear();
      },
      forEach() {},
      get(uri) {
        return state.diagnostics.get(uri.toString());
      },
      has(uri) {
        return state.diagnostics.has(uri.toString());
      },
      dispose() {},
    });

  const outputChannel = (name) =>
    withFallback('outputChannel', {
      name,
      append: (s) => state.output.push(s),
      appendLine: (s) => state.output.push(s),
      replace() {},
      clear() {},
      show() {},
      hide() {},
      dispose() {},
    });

  const vscode = {
    version: '1.82.0',
    env: withFallback('env', { appName: 'mock-vscode', language: 'en', machineId: 'test', sessionId: 'test', uiKind: 1 }),
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    Location,
    Diagnostic,
    DiagnosticRelatedInformation,
    CancellationTokenSource,
    CancellationError,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    workspace: withFallback('workspace', {
      workspaceFolders: [folder],
      textDocuments: opts.documents,
      notebookDocuments: [],
      getConfiguration: configuration,
      getWorkspaceFolder: () => folder,
      onDidChangeConfiguration: state.onDidChangeConfiguration.event,
      onDidOpenTextDocument: state.onDidOpenTextDocument.event,
      createFileSystemWatcher: () =>
        withFallback('watcher', {
          onDidCreate: () => new Disposable(),
          onDidChange: () => new Disposable(),
          onDidDelete: () => new Disposable(),
          dispose() {},
        }),
    }),
    window: withFallback('window', {
      createOutputChannel: outputChannel,
      showErrorMessage: (msg) => {
        state.errors.push(msg);
        return Promise.resolve(undefined);
      },
      showWarningMessage: () => Promise.resolve(undefined),
      showInformationMessage: () => Promise.resolve(undefined),
      setStatusBarMessage: () => new Disposable(),
      visibleTextEditors: [],
      activeTextEditor: undefined,
    }),
    languages: withFallback('languages', {
      createDiagnosticCollection: diagnosticCollection,
      match(selector, document) {
        const sels = Array.isArray(selector) ? selector : [selector];
        return sels.some(
          (s) =>
            (typeof s === 'string' ? s === document.languageId : (!s.language || s.language === document.languageId) &&
              (!s.scheme || s.scheme === document.uri.scheme))
        )
          ? 10
          : 0;
      },
    }),
    commands: withFallback('commands', {
      registerCommand(id, fn) {
        state.commands.set(id, fn);
        return new Disposable(() => state.commands.delete(id));
      },
      executeCommand: (id, ...args) =>
        state.commands.has(id) ? Promise.resolve(state.commands.get(id)(...args)) : Promise.resolve(undefined),
    }),
  };

  return { vscode: withFallback('vscode', vscode), state };
}

/** A read-only TextDocument for a file on disk. */
function textDocument(file, text) {
  const lines = text.split('\n');
  return {
    uri: Uri.file(file),
    fileName: file,
    languageId: 'go',
    version: 1,
    isClosed: false,
    isDirty: false,
    isUntitled: false,
    lineCount: lines.length,
    getText: () => text,
  };
}

module.exports = { createVscode, textDocument, Uri };
