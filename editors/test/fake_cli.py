#!/usr/bin/env python3
"""A stand-in for the goleaklint command line, for the flymake check.

Appends its argv and working directory as one JSON line to $FAKE_CLI_LOG,
prints a `--format json` report (the shape the contract fixes) with one
finding in cmd/app/main.go and one in another file, and exits 1 (findings).
"""
import json
import os
import sys

log = os.environ.get("FAKE_CLI_LOG")
if log:
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd()}) + "\n")


def diag(path, line, message, severity="warning"):
    return {"rule": "abandoned-send", "severity": severity, "path": path,
            "line": line, "column": 2, "end_line": line, "end_column": 10,
            "message": message, "related": [], "help": "use a buffered channel"}


print(json.dumps({
    "version": 1,
    "diagnostics": [
        diag("cmd/app/main.go", 3, "goroutine may block forever sending on ch"),
        diag("cmd/app/other.go", 1, "a finding in another file", "error"),
    ],
    "errors": [],
    "stats": {"packages": 1, "files": 2, "lines": 6, "bytes": 60, "elapsed_ms": 1,
              "findings": {"abandoned-send": 2}},
}))
sys.exit(1)
