"""Packs the release binary of schemaforge into a platform wheel (scripts/build-wheel.sh runs it).

The wheel holds the binary as a script (`<name>.data/scripts/schemaforge`: pip installs it into
the environment's `bin`, on its PATH) and the small `schemaforge` package of `python/` (for
`python -m schemaforge`). The version is the binary's own (`schemaforge --version`), so the CLI
and the wheel's metadata cannot differ. The platform tag is the manylinux policy that
`auditwheel show` finds the binary satisfies; nothing is tagged by hand.

Usage: python scripts/wheel.py BINARY OUT_DIR
"""

from __future__ import annotations

import base64
import hashlib
import io
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "python" / "schemaforge"
# Zip entries get one fixed time (the earliest a zip can hold): the same inputs give the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)
SUMMARY = (
    "One declarative schema -> SQL DDL, a FastAPI project (SQLAlchemy, Pydantic, Alembic) "
    "or a MongoDB one (ODMantic), and safe migrations"
)
DESCRIPTION = """\
# schemaforge

`schemaforge` reads one declarative schema (YAML or JSON) and generates what a FastAPI backend
needs to own its data: SQL DDL for PostgreSQL, SQLite and MySQL/MariaDB, SQLAlchemy 2.0 models,
Pydantic v2 schemas, a FastAPI project with its tests, Alembic migrations with downgrades, or an
ODMantic project with `$jsonSchema` validators for MongoDB.

This wheel carries the native binary: `pip install schemaforge` puts `schemaforge` on the
environment's PATH (`python -m schemaforge` runs it too). Start with `schemaforge init`.
"""


def version_of(binary: Path) -> str:
    """The version the binary reports (`SchemaforgeVersion.current` in the Swift sources)."""
    out = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=True
    )
    version = out.stdout.strip()
    if not re.fullmatch(r"\d+(\.\d+)*([abc]|rc)?\d*", version):
        raise SystemExit(
            f"wheel.py: `{binary} --version` printed {version!r}, not a version"
        )
    return version


def record_line(name: str, data: bytes) -> str:
    digest = (
        base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    )
    return f"{name},sha256={digest},{len(data)}"


def build(binary: Path, out_dir: Path, tag: str) -> Path:
    """Writes the wheel for `tag` (e.g. `manylinux_2_35_x86_64`) and returns its path."""
    version = version_of(binary)
    dist_info = f"schemaforge-{version}.dist-info"
    files: list[tuple[str, bytes, int]] = []  # (name, data, mode)
    for path in sorted(PACKAGE.glob("*.py")):
        files.append((f"schemaforge/{path.name}", path.read_bytes(), 0o644))
    files.append(
        (f"schemaforge-{version}.data/scripts/schemaforge", binary.read_bytes(), 0o755)
    )
    metadata = (
        "Metadata-Version: 2.1\n"
        "Name: schemaforge\n"
        f"Version: {version}\n"
        f"Summary: {SUMMARY}\n"
        "Requires-Python: >=3.9\n"
        "Description-Content-Type: text/markdown\n\n" + DESCRIPTION
    )
    files.append((f"{dist_info}/METADATA", metadata.encode(), 0o644))
    wheel = (
        "Wheel-Version: 1.0\n"
        "Generator: schemaforge scripts/wheel.py\n"
        "Root-Is-Purelib: false\n"
        f"Tag: py3-none-{tag}\n"
    )
    files.append((f"{dist_info}/WHEEL", wheel.encode(), 0o644))
    record = [record_line(name, data) for name, data, _ in files] + [
        f"{dist_info}/RECORD,,"
    ]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode(), 0o644))

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"schemaforge-{version}-py3-none-{tag}.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    target.write_bytes(buffer.getvalue())
    return target


def policy_of(wheel: Path) -> str:
    """The platform tag `auditwheel show` says the wheel's binary is consistent with."""
    out = subprocess.run(
        [sys.executable, "-m", "auditwheel", "show", str(wheel)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r'following platform tag:\s*"([^"]+)"', " ".join(out.split()))
    if found is None:
        raise SystemExit(f"wheel.py: no platform tag in `auditwheel show`:\n{out}")
    return found.group(1)


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    binary, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    # First with the plain platform tag, which auditwheel then examines.
    plain = build(binary, out_dir, f"linux_{platform.machine()}")
    tag = policy_of(plain)
    plain.unlink()
    final = build(binary, out_dir, tag)
    print(f"{final} (auditwheel: {tag})")


if __name__ == "__main__":
    main()
