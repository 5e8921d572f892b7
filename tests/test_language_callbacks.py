"""Programs whose callables torch calls back (torch.func, gradcheck, saved-tensor hooks,
module.apply) give a picture too: the graph is read after the run, when the program's own
code no longer runs, and what torch kept of it must not break the drawing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunApi

CORPUS = Path(__file__).resolve().parent / "corpus" / "parity"
CALLING_BACK = [
    "656_module_apply_init_weights",
    "663_gradcheck_torch_lambda_def",
    "667_forward_ad_dual_numbers",
    "669_saved_tensors_hooks_print",
    "670_saved_tensors_hooks_index_store",
    "671_grad_fn_saved_attributes",
    "673_torch_func_grad_and_value",
    "676_torch_func_vmap_per_sample_grads",
]


@pytest.mark.parametrize("name", CALLING_BACK)
def test_a_program_that_torch_calls_back_is_drawn(run_api: RunApi, name: str) -> None:
    source = (CORPUS / f"{name}.py").read_text()
    status, data = run_api(source, formats=["graph", "svg"])
    assert status == 200, data
    # 671 ends reading a saved tensor a backward freed, as its real run does
    expected = "RuntimeError" if name.startswith("671") else None
    assert (data["error"] or {}).get("type") == expected, data["error"]
    assert data["svg"].lstrip().startswith("<svg"), data.keys()
    assert data["graph"]["nodes"], data["graph"]


def test_saved_shapes_in_the_picture_come_from_hooked_tensors(run_api: RunApi) -> None:
    """The picture reads saved tensors' shapes without running the program's unpack: the
    output shows only the unpacks the backward made."""
    source = (CORPUS / "669_saved_tensors_hooks_print.py").read_text()
    plain = run_api(source)[1]
    drawn = run_api(source, formats=["graph", "svg"])[1]
    outputs = ["".join(step["output"] for step in data["steps"]) for data in (plain, drawn)]
    assert outputs[0] == outputs[1]
    assert outputs[0].count("unpack") == 3  # MulBackward0's self and other, ExpBackward0's result
    functions = [node for node in drawn["graph"]["nodes"] if node.get("op") == "MulBackward0"]
    assert functions and {slot["name"] for slot in functions[0]["saved"]} == {"self", "other"}
