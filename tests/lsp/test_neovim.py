"""goleaklint's language server driven by Neovim, headless (Neovim 0.7+).

The scenario lives in nvim_client.lua; this runs it on a copy of the test
workspace. scripts/setup.sh installs Debian's neovim on CI.
"""

import os
import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
BIN = os.environ.get("GOLEAKLINT_BIN", str(HERE.parent.parent / "target" / "debug" / "goleaklint"))

NVIM = shutil.which("nvim")


@pytest.mark.skipif(NVIM is None and not os.environ.get("CI"), reason="nvim is not installed")
def test_neovim_client(tmp_path):
    assert NVIM is not None, "nvim is missing: scripts/setup.sh installs it"
    root = tmp_path / "workspace"
    shutil.copytree(HERE / "workspace", root)
    env = dict(os.environ, GOLEAKLINT_BIN=BIN, WORKSPACE=str(root))
    r = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {HERE / 'nvim_client.lua'}"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    assert "nvim client: ok" in r.stdout + r.stderr
