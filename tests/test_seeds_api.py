"""The lessons of the study notes (../shared/seeds/), through the API: PyTorch's answers."""

from __future__ import annotations

import textwrap

from tests.conftest import RunApi

LEAVES = """\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
"""


def program(body: str) -> str:
    return LEAVES + textwrap.dedent(body)


def test_z_equals_2x_plus_xy_gives_8_and_3(run_api: RunApi) -> None:
    status, data = run_api(program("z = 2*x + x*y\nz.backward()\n"))
    assert status == 200 and data["ok"] is True
    assert data["tensors"]["z"]["value"] == 24.0
    assert data["tensors"]["z"]["grad_fn"] == "AddBackward0"
    assert data["tensors"]["x"]["grad"] == 8.0
    assert data["tensors"]["y"]["grad"] == 3.0
    assert data["tensors"]["x"]["is_leaf"] is True
    assert [step["line"] for step in data["steps"]] == [1, 2, 3, 4, 5, 6]


def test_retain_graph_then_v_backward_gives_6_and_3(run_api: RunApi) -> None:
    source = program(
        """\
        u = 2*x
        v = x*y
        z = u + v
        z.backward(retain_graph=True)
        x.grad.zero_()
        y.grad.zero_()
        v.backward()
        """
    )
    status, data = run_api(source)
    assert status == 200 and data["ok"] is True
    assert (data["tensors"]["x"]["grad"], data["tensors"]["y"]["grad"]) == (6.0, 3.0)
    assert data["tensors"]["u"]["grad_fn"] == "MulBackward0"


def test_backward_twice_without_retain_graph_is_a_step_error(run_api: RunApi) -> None:
    source = program("u = 2*x\nv = x*y\nz = u + v\nz.backward()\nv.backward()\n")
    status, data = run_api(source)
    assert status == 200 and data["ok"] is False
    error = data["error"]
    assert error["type"] == "RuntimeError"
    assert error["message"].startswith("Trying to backward through the graph a second time")
    assert error["line"] == 9
    assert "retain_graph=True" in error["hints"]["en"] and error["hints"]["zh"]
    assert data["steps"][-1]["status"] == "error" and data["steps"][-1]["line"] == 9
    # everything up to the error is returned
    assert data["tensors"]["x"]["grad"] == 8.0


def test_detach_makes_2x_a_constant(run_api: RunApi) -> None:
    source = program("u = 2*x\nu_ = u.detach()\nz = u_ + x*y\nz.backward()\n")
    status, data = run_api(source)
    assert status == 200 and data["tensors"]["x"]["grad"] == 6.0
    assert data["tensors"]["u_"]["requires_grad"] is False
    assert data["tensors"]["u_"]["is_leaf"] is True


VECTOR = """\
a = torch.tensor([[2., 4.]], requires_grad=True)
b = torch.zeros(1, 2)
b[0, 0] = a[0, 0]**2 + a[0, 1]
b[0, 1] = a[0, 1]**3 + a[0, 0]
c = 2*b
"""


def test_vector_output_with_gradient_gives_jacobian_row_sums(run_api: RunApi) -> None:
    status, data = run_api(VECTOR + "c.backward(torch.ones(1, 2))\n")
    assert status == 200 and data["ok"] is True
    assert data["tensors"]["a"]["grad"] == [[10.0, 98.0]]
    assert data["tensors"]["c"]["shape"] == [1, 2]
    assert data["tensors"]["b"]["version"] == 2  # two in-place writes


def test_non_scalar_backward_without_gradient_is_torchs_error(run_api: RunApi) -> None:
    status, data = run_api(VECTOR + "c.backward()\n")
    assert status == 200 and data["ok"] is False
    assert data["error"]["type"] == "RuntimeError"
    assert data["error"]["message"] == "grad can be implicitly created only for scalar outputs"
    assert data["error"]["line"] == 6


def test_non_leaf_grad_is_none_unless_retain_grad(run_api: RunApi) -> None:
    source = """\
x = torch.tensor(3.0, requires_grad=True)
y1 = x + 1
y2 = 2*x
y2.retain_grad()
loss = (y1 - y2)**2
loss.backward()
print(y1.grad)
"""
    status, data = run_api(source)
    assert status == 200
    tensors = data["tensors"]
    assert tensors["y1"]["grad"] is None and tensors["y1"]["is_leaf"] is False
    assert tensors["y2"]["grad"] == 4.0 and tensors["y2"]["retains_grad"] is True
    assert tensors["x"]["grad"] == 4.0
    assert data["steps"][-1]["output"] == "None\n"
    # PyTorch warns when a non-leaf's .grad is read; the student sees that warning
    assert "not a leaf Tensor" in data["steps"][-1]["warnings"][0]


def test_gradients_accumulate_until_zeroed(run_api: RunApi) -> None:
    source = program("z = 2*x + x*y\nz.backward(retain_graph=True)\nz.backward()\n")
    status, data = run_api(source)
    assert status == 200 and data["tensors"]["x"]["grad"] == 16.0
    assert data["tensors"]["y"]["grad"] == 6.0


SHARED_STORAGE = """\
a = torch.tensor([7., 0, 0], requires_grad=True)
b = a + 2
loss = torch.mean(b * b)
b_ = b.{how}
b_.zero_()
print(b)
loss.backward()
"""


def test_detach_then_in_place_edit_breaks_backward(run_api: RunApi) -> None:
    status, data = run_api(SHARED_STORAGE.format(how="detach()"))
    assert status == 200 and data["ok"] is False
    assert "modified by an inplace operation" in data["error"]["message"]
    assert data["error"]["line"] == 7
    assert data["steps"][5]["output"] == "tensor([0., 0., 0.], grad_fn=<AddBackward0>)\n"


def test_data_then_in_place_edit_gives_silent_zeros(run_api: RunApi) -> None:
    status, data = run_api(SHARED_STORAGE.format(how="data"))
    assert status == 200 and data["ok"] is True
    assert data["tensors"]["a"]["grad"] == [0.0, 0.0, 0.0]


def test_path_sums_for_x_plus_w_times_w_plus_1(run_api: RunApi) -> None:
    source = """\
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward()
"""
    status, data = run_api(source)
    assert status == 200
    assert data["tensors"]["w"]["grad"] == [5.0]  # (w + 1) + (x + w)
    assert data["tensors"]["x"]["grad"] == [2.0]
    assert data["tensors"]["y"]["value"] == [6.0]


def test_data_edit_is_not_tracked(run_api: RunApi) -> None:
    source = """\
x = torch.ones(1, requires_grad=True)
print(x.data.requires_grad)
y = 2 * x
x.data *= 100
y.backward()
print(x)
print(x.grad)
"""
    status, data = run_api(source)
    assert status == 200
    outputs = [step["output"] for step in data["steps"]]
    assert outputs[1] == "False\n"
    assert outputs[5] == "tensor([100.], requires_grad=True)\n"
    assert outputs[6] == "tensor([2.])\n"
    # .data is a separate tensor with its own version counter: autograd never sees the edit
    assert data["tensors"]["x"]["version"] == 0
