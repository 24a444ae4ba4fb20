"""`python -m schemaforge ARGS`: runs the installed binary with ARGS."""

from __future__ import annotations

import os
import subprocess
import sys

from schemaforge import find_schemaforge_bin


def main() -> int:
    """Replaces this process by the binary (POSIX) or runs it and returns its exit code."""
    binary = find_schemaforge_bin()
    if sys.platform == "win32":
        return subprocess.call([binary, *sys.argv[1:]])
    os.execv(binary, [binary, *sys.argv[1:]])
    return 0  # not reached: execv does not return


if __name__ == "__main__":
    sys.exit(main())
