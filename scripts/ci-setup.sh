#!/usr/bin/env bash
# Installs what the test suite needs on a clean Debian machine (CI runs as root):
# the go command, for the `go vet -vettool=goleaklint` integration test.
set -euo pipefail

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/lib/go/bin/go ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends golang-go
fi
if command -v go >/dev/null 2>&1; then
    go version
else
    /usr/lib/go/bin/go version
fi
