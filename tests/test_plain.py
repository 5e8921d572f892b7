"""`plain` (records → JSON-ready data without copying values) says what `dataclasses.asdict`
says, for every record a run produces."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from app.pipeline import RunRequest, execute
from app.plain import plain
from app.settings import Settings

CORPUS = sorted((Path(__file__).resolve().parent / "corpus" / "graph").glob("*.py"))[:40]


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_plain_agrees_with_asdict(path: Path) -> None:
    outcome = execute(RunRequest(source=path.read_text(), formats=("graph",)), Settings())
    records = [outcome.graph, outcome.run.training, *outcome.run.tensors.values()]
    for record in records:
        if record is None:
            continue
        ours = json.dumps(plain(record), sort_keys=True)
        assert ours == json.dumps(dataclasses.asdict(record), sort_keys=True)
