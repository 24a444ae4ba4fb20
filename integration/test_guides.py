"""Every example of the guides runs: one test per `docs/guides/*.md` (README.md aside).

The convention of the guides' code blocks (docs/guides/README.md says the same to their writers):

1. Each guide runs in its own fresh temporary directory, its blocks in document order. The directory
   starts with a copy of the repository's `examples/` folder (`examples/blog.yaml` works as it does
   from the repository root).
2. A ```yaml block whose first line is `# file: NAME.yaml` is written, whole (that comment included),
   to that path in the directory. Every other yaml block is a fragment: it must parse (PyYAML).
   `# file:` works the same in python, toml, ini and dotenv blocks.
3. A ```bash block is executed with `bash -euo pipefail` in the directory, with `schemaforge` (the
   binary under test: SCHEMAFORGE_BIN, the `schemaforge_bin` fixture of conftest.py) first on PATH,
   then the bin directory of this venv (`python`, `alembic`, `pytest`, `ruff`). The database settings
   (DATABASE_URL, DATABASE_READ_URL, TEST_DATABASE_URL, MONGODB_URL, TEST_MONGODB_URL), PYTHONPATH and
   VIRTUAL_ENV are unset: no block needs a network or a database server. A block taking longer than
   BLOCK_TIMEOUT seconds fails. Commands that need a server are shown in ```console or ```text blocks,
   which are not run; ```sh and ```shell blocks are refused (say which one is meant).
4. A ```python block whose first line is `# file: RELATIVE/PATH.py` is written to that path for the
   blocks after it. Every other python block but the excerpts of rule 5 must compile (`ast.parse`).
5. A block whose first line is `# generated: RELATIVE/PATH` (`-- generated:` in SQL, `// generated:`
   in jsonc) is an excerpt of a file an earlier block generated: the lines after that first one must
   appear as one contiguous run of the file as it is at that point (trailing spaces ignored). Other
   sql blocks are not checked; text and console blocks are not executed.
6. A failure names the guide, the block's number and line in the .md, the command and its output.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs in the venv

REPO_ROOT = Path(__file__).resolve().parent.parent
GUIDES_DIR = REPO_ROOT / "docs" / "guides"
#: The venv running this test: its `python`, `alembic`, `pytest` and `ruff` run the guides' commands.
VENV_BIN = Path(sys.executable).parent
#: Seconds one bash block may take ("a block must finish in seconds").
BLOCK_TIMEOUT = 60
#: What the ERR trap of a bash block prints before the failing command (see run_bash).
TRAP_MARK = "[guide-block-failed]"
#: Variables a reader's shell would not have, or that would point a command at a server.
UNSET = (
    "DATABASE_URL",
    "DATABASE_READ_URL",
    "TEST_DATABASE_URL",
    "MONGODB_URL",
    "TEST_MONGODB_URL",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "PYTEST_ADDOPTS",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
)

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)[^`]*$"
)
FILE_LINE = re.compile(r"^#\s*file:\s*(?P<path>\S+)\s*$")
GENERATED_LINE = re.compile(r"^(?:#|--|//)\s*generated:\s*(?P<path>\S+)\s*$")
WRITABLE = {"yaml", "yml", "python", "toml", "ini", "dotenv"}
REFUSED = {"sh", "shell", "zsh"}


def guide_files() -> list[Path]:
    return sorted(p for p in GUIDES_DIR.glob("*.md") if p.name != "README.md")


@dataclass(frozen=True)
class Block:
    number: int  # 1-based, in document order
    line: int  # line of the opening fence in the .md (1-based)
    lang: str
    # The block's lines, the fence's indentation removed, ending with a newline.
    text: str

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def body_after_first_line(self) -> str:
        return self.text.split("\n", 1)[1] if "\n" in self.text else ""


def parse_blocks(markdown: str, name: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, in order."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m["indent"], m["fence"], m["info"].lower()
        start = i
        body: list[str] = []
        i += 1
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        while i < len(lines) and not closing.match(lines[i]):
            line = lines[i]
            body.append(
                line[len(indent) :] if line.startswith(indent) else line.lstrip()
            )
            i += 1
        if i == len(lines):
            pytest.fail(
                f"{name}:{start + 1}: the code block opened here is never closed",
                pytrace=False,
            )
        i += 1
        text = "\n".join(body) + "\n" if body else ""
        blocks.append(Block(len(blocks) + 1, start + 1, info, text))
    return blocks


class GuideFailure(Exception):
    pass


@dataclass
class GuideRun:
    guide: Path
    workdir: Path
    env: dict[str, str]
    timings: list[tuple[Block, float]]

    def where(self, block: Block) -> str:
        rel = (
            self.guide.relative_to(REPO_ROOT)
            if self.guide.is_relative_to(REPO_ROOT)
            else self.guide
        )
        return f"{rel}: block {block.number} (```{block.lang or 'no language'}, line {block.line} of the .md)"

    def fail(self, block: Block, why: str, details: str = "") -> GuideFailure:
        text = f"{self.where(block)}: {why}"
        if details:
            text += "\n" + details
        return GuideFailure(text)

    def target(self, block: Block, relative: str) -> Path:
        path = (self.workdir / relative).resolve()
        if path != self.workdir and self.workdir not in path.parents:
            raise self.fail(
                block, f"the path {relative!r} leaves the guide's directory"
            )
        return path

    def run(self, block: Block) -> None:
        first = block.first_line
        if block.lang in REFUSED:
            raise self.fail(
                block,
                f"```{block.lang} blocks are ambiguous: use ```bash (run) or ```console (shown)",
            )
        generated = GENERATED_LINE.match(first)
        if generated and block.lang != "bash":
            self.check_excerpt(block, generated["path"])
        written = FILE_LINE.match(first)
        if written and block.lang in WRITABLE:
            path = self.target(block, written["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.text)
        if block.lang in ("yaml", "yml"):
            try:
                yaml.safe_load(block.text)
            except yaml.YAMLError as exc:
                raise self.fail(
                    block,
                    "the YAML does not parse",
                    f"{exc}\n--- block ---\n{block.text}",
                ) from exc
        elif block.lang == "python" and not generated:
            try:
                ast.parse(block.text)
            except SyntaxError as exc:
                raise self.fail(
                    block,
                    "the Python does not compile",
                    f"{exc}\n--- block ---\n{block.text}",
                ) from exc
        elif block.lang == "bash":
            self.run_bash(block)

    def check_excerpt(self, block: Block, relative: str) -> None:
        path = self.target(block, relative)
        if not path.is_file():
            raise self.fail(
                block,
                f"the excerpt's file {relative} was not generated by an earlier block",
            )
        excerpt = [line.rstrip() for line in block.body_after_first_line.splitlines()]
        while excerpt and not excerpt[-1]:
            excerpt.pop()
        if not excerpt:
            raise self.fail(block, f"the excerpt of {relative} is empty")
        actual = [line.rstrip() for line in path.read_text().splitlines()]
        n = len(excerpt)
        if any(actual[k : k + n] == excerpt for k in range(len(actual) - n + 1)):
            return
        # Say where the excerpt stops matching: the longest prefix found in the file.
        best = 0
        for k in range(len(actual)):
            length = 0
            while (
                length < n
                and k + length < len(actual)
                and actual[k + length] == excerpt[length]
            ):
                length += 1
            best = max(best, length)
        raise self.fail(
            block,
            f"the excerpt is not a contiguous run of lines of {relative} as generated",
            f"the first {best} line(s) match; the excerpt's line {best + 1} differs or does not follow:\n"
            f"  {excerpt[min(best, n - 1)]!r}\n--- {relative} ---\n{_tail(path.read_text(), 6000)}",
        )

    def run_bash(self, block: Block) -> None:
        # The ERR trap names the command that failed and its line in the block (the trap's own
        # line is the script's first).
        script = (
            f"trap 'echo \"{TRAP_MARK} $((LINENO - 1)) $? $BASH_COMMAND\" >&2' ERR\n"
        )
        started = time.monotonic()
        # A session of its own: on a timeout the whole process group is killed, children included.
        with subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", script + block.text],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=BLOCK_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                stdout, stderr = proc.communicate()
                raise self.fail(
                    block,
                    f"the commands did not finish within {BLOCK_TIMEOUT} s",
                    _output(block.text, stdout, stderr),
                ) from None
        self.timings.append((block, time.monotonic() - started))
        if proc.returncode != 0:
            failed = re.search(
                rf"^{re.escape(TRAP_MARK)} (\d+) (\d+) (.*)$", stderr, re.MULTILINE
            )
            why = f"the commands exited {proc.returncode}"
            if failed:
                line = block.line + int(failed[1])
                why = f"`{failed[3]}` (line {line} of the .md) exited {failed[2]}"
            raise self.fail(block, why, _output(block.text, stdout, stderr))


def _output(command: str, stdout: str, stderr: str) -> str:
    return (
        f"--- command ---\n{command}--- stdout ---\n{_tail(stdout)}\n"
        f"--- stderr ---\n{_tail(stderr)}"
    )


def _tail(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else "[...]\n" + text[-limit:]


def guide_env(bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["PATH"] = os.pathsep.join(
        [str(bin_dir), str(VENV_BIN), env.get("PATH", os.defpath)]
    )
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_the_guides_convention_is_documented() -> None:
    """The guides' README states the convention this test runs them by, and lists every guide."""
    readme = (GUIDES_DIR / "README.md").read_text()
    assert "How the code blocks are run" in readme
    for guide in guide_files():
        assert f"({guide.name})" in readme, (
            f"docs/guides/README.md does not link {guide.name}"
        )


@pytest.mark.parametrize("guide", guide_files(), ids=lambda p: p.name)
def test_guide_examples_run(guide: Path, schemaforge_bin: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A wrapper rather than a link: the binary finds its resources beside its own path.
    wrapper = bin_dir / "schemaforge"
    wrapper.write_text(f'#!/bin/sh\nexec "{schemaforge_bin}" "$@"\n')
    wrapper.chmod(0o755)
    workdir = tmp_path / "guide"
    workdir.mkdir()
    shutil.copytree(REPO_ROOT / "examples", workdir / "examples")

    blocks = parse_blocks(guide.read_text(), str(guide.relative_to(REPO_ROOT)))
    assert any(b.lang == "bash" for b in blocks), (
        f"{guide.name} has no ```bash block: nothing of it runs"
    )
    run = GuideRun(guide, workdir.resolve(), guide_env(bin_dir), [])
    failure: GuideFailure | None = None
    for block in blocks:
        try:
            run.run(block)
        except GuideFailure as exc:
            failure = exc
            break
    if failure is not None:
        pytest.fail(str(failure), pytrace=False)
    # With -s: where the time goes (the whole file has a budget of 60 s for every guide).
    slowest = sorted(run.timings, key=lambda t: -t[1])[:5]
    print(
        f"{guide.name}: {sum(s for _, s in run.timings):.1f}s in bash blocks; slowest: "
        + ", ".join(f"block {b.number} (line {b.line}) {s:.1f}s" for b, s in slowest)
    )
