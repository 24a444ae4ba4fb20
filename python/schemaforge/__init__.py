"""Schemaforge, installed from its wheel: the native `schemaforge` binary and a way to find it.

The wheel installs the binary as a script (into the environment's `bin`, on its PATH), as ruff
and uv do; `python -m schemaforge` runs the same binary.
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_schemaforge_bin"]


def find_schemaforge_bin() -> str:
    """The path of the installed `schemaforge` binary.

    Looks where pip put the wheel's scripts: the environment's scripts directory, then the
    user scheme's (``pip install --user``).
    """
    name = "schemaforge" + (".exe" if sys.platform == "win32" else "")
    candidates = [sysconfig.get_path("scripts")]
    user_scheme = f"{os.name}_user"
    if user_scheme in sysconfig.get_scheme_names():
        candidates.append(sysconfig.get_path("scripts", scheme=user_scheme))
    for directory in candidates:
        path = os.path.join(directory, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(
        f"the schemaforge binary is not in {' or '.join(candidates)}: reinstall the wheel"
    )
