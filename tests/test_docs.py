"""The README documents every setting, and its quick start is the two commands CI relies on."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table_with_its_default() -> None:
    for name, field in Settings.model_fields.items():
        row = f"| `PLAYGROUND_{name.upper()}` | {field.default} | {field.description} |"
        assert row in README, f"README settings table lacks or misstates {name}"


def test_quick_start_is_make_run_and_make_test() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == ["make test"]


ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_architecture_document_names_every_app_package() -> None:
    """The layer table covers every package and top-level module of `app/`."""
    app = ROOT / "app"
    parts = {p.name for p in app.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {
        p.stem for p in app.glob("*.py") if p.stem not in {"__init__", "main", "cli", "plain"}
    }
    table = ARCHITECTURE.split("## Layers", 1)[1].split("\n\n", 2)[1]
    for name in sorted(parts):
        assert f"`app/{name}/`" in table, f"docs/ARCHITECTURE.md's layer table lacks app/{name}/"
    for name in sorted(modules):
        assert f"`app/{name}.py`" in table, (
            f"docs/ARCHITECTURE.md's layer table lacks app/{name}.py"
        )


def test_paths_named_in_the_docs_exist() -> None:
    """Every `app/...`, `tests/...` or `bench/...` path the README and the architecture document
    name is a real file or folder (docs that point nowhere are worse than none)."""
    import re

    for text in (README, ARCHITECTURE):
        for path in set(
            re.findall(r"`((?:app|tests|bench|docs|static|templates)/[\w./-]*)`", text)
        ):
            assert (ROOT / path.rstrip("/")).exists(), f"the docs name {path}, which does not exist"


def test_the_design_is_the_repository_own() -> None:
    """Comments and docs point to docs/ARCHITECTURE.md, not to a design file outside the repo."""
    sources = [
        ROOT / "README.md",
        *ROOT.joinpath("app").rglob("*.py"),
        *ROOT.joinpath("tests").glob("*.py"),
    ]
    for path in sources:
        if path.name != "test_docs.py":
            assert "DESIGN.md" not in path.read_text(encoding="utf-8"), f"{path} points outside"
