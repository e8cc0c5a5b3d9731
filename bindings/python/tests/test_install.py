"""`pip install bindings/python` works without network access."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

import streamdb

PROJECT = Path(__file__).resolve().parent.parent


def test_pip_installs_the_package_offline_into_a_fresh_environment(tmp_path: Path) -> None:
    try:
        venv.EnvBuilder(with_pip=True).create(tmp_path / "venv")
    except Exception as error:  # python3-venv missing: report rather than pass silently
        pytest.fail(f"cannot create a virtual environment ({error}); install python3-venv")
    python = tmp_path / "venv" / "bin" / "python"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS="", PYTHONPATH="")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-index", str(PROJECT)],
                             capture_output=True, text=True, env=env, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    check = subprocess.run(
        [str(python), "-c",
         "import streamdb, pathlib; p = pathlib.Path(streamdb.__file__).parent; "
         "print(p); assert (p / 'py.typed').exists(); "
         "db = streamdb.open_memory(); db['/a'] = b'1'; print(db['/a'])"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH="", STREAMDB_LIBRARY=streamdb.library_path()))
    assert check.returncode == 0, check.stderr
    lines = check.stdout.splitlines()
    assert "site-packages" in lines[0]
    assert lines[1] == "b'1'"
