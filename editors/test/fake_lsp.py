#!/usr/bin/env python3
"""A stand-in for `goleaklint lsp`, for checking the editor setups.

Speaks LSP on stdio (Content-Length framing), appends every message it
receives as one JSON line to the file named by $FAKE_SERVER_LOG (the first
line records argv and the working directory), and answers each
textDocument/didOpen with one diagnostic. Python standard library only.
"""
import json
import os
import sys

LOG = os.environ.get("FAKE_SERVER_LOG")


def log(entry):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    if length is None:
        return None
    return json.loads(stream.read(length).decode("utf-8"))


def send(stream, message):
    body = json.dumps(message).encode("utf-8")
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def main():
    log({"method": "argv", "params": sys.argv[1:], "cwd": os.getcwd()})
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        msg = read_message(stdin)
        if msg is None:
            return 1
        method = msg.get("method")
        log({"method": method, "params": msg.get("params"), "id": msg.get("id")})
        if "id" in msg and method is not None:  # a request
            result = None
            if method == "initialize":
                result = {
                    "capabilities": {
                        "textDocumentSync": {"openClose": True, "change": 1},
                        "codeActionProvider": True,
                    },
                    "serverInfo": {"name": "fake-goleaklint", "version": "0.0.0"},
                }
            send(stdout, {"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif method == "textDocument/didOpen":
            send(stdout, {
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {
                    "uri": msg["params"]["textDocument"]["uri"],
                    "diagnostics": [{
                        "range": {"start": {"line": 2, "character": 1},
                                  "end": {"line": 2, "character": 9}},
                        "severity": 2,
                        "source": "goleaklint",
                        "code": "abandoned-send",
                        "message": "goroutine may block forever sending on ch",
                    }],
                },
            })
        elif method == "exit":
            return 0


if __name__ == "__main__":
    sys.exit(main())
