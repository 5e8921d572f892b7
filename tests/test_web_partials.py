"""The HTML side without a browser: templates pinned to their view models, htmx partials, headers.

Templates are rendered with the app's own Jinja environment (autoescape, StrictUndefined) from view
models built by the same code the routes use; the HTTP tests go through a real uvicorn.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from jinja2 import StrictUndefined, nodes

from app.lessons import find_lesson
from app.service.runner import Runner
from app.settings import Settings
from app.web import views
from app.web.i18n import EN, ZH, Labels
from app.web.page import PageInput, Ran, chrome_for, lesson_state, page_view, run_state
from app.web.state import PlayState, decode, encode
from app.web.templating import TEMPLATES_DIR, environment

SEED = "z = 2x + xy"
SEED_INPUTS = (("x", "3"), ("y", "6"))
BACKWARD_TWICE = (
    "import torch\n"
    "x = torch.tensor(3., requires_grad=True)\n"
    "y = x * x\n"
    "print('y is', y)\n"
    "y.backward()\n"
    "y.backward()\n"
)
HOSTILE = "<script>alert(1)</script>"
SAME_IN_BOTH = {  # PyTorch's own names, the same in every language
    "col_requires_grad", "col_is_leaf", "col_grad_fn", "run_shortcut", "requires_grad", "is_leaf",
    "retains_grad", "mode_python",
}  # fmt: skip
WEB_SOURCES = sorted((Path(__file__).resolve().parent.parent / "app" / "web").glob("*.py"))


# --- view models and the templates that show them -------------------------------------------------


class Recorder:
    """Wraps view models so every attribute a template reads is recorded per dataclass."""

    def __init__(self) -> None:
        self.seen: dict[type, set[str]] = defaultdict(set)

    def wrap(self, value: Any) -> Any:
        if is_dataclass(value) and not isinstance(value, type):
            return _Proxy(value, self)
        if isinstance(value, tuple):
            return tuple(self.wrap(item) for item in value)
        return value


class _Proxy:
    __slots__ = ("_target", "_recorder")

    def __init__(self, target: Any, recorder: Recorder) -> None:
        self._target = target
        self._recorder = recorder

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)  # AttributeError → undefined → StrictUndefined fails
        self._recorder.seen[type(self._target)].add(name)
        return self._recorder.wrap(value)


IN_PROCESS = Runner(Settings(workers=0))  # the pipeline in a thread: no worker pool to start


def _ran(state: PlayState, lang: str = "en") -> Ran:
    return asyncio.run(run_state(state, IN_PROCESS, lang))


def _page(state: PlayState, chrome: views.Chrome, lang: str = "en", notice: str = "") -> Any:
    from app.lessons import LESSONS

    page = PageInput(state, lang, chrome, LESSONS[0], notice, "http://testserver")
    return page_view(page, _ran(state, lang))


def _render(name: str, view: Any, recorder: Recorder) -> str:
    env = environment()
    assert env.undefined is StrictUndefined and env.autoescape is True
    context = {key: recorder.wrap(value) for key, value in views.context(view).items()}
    return env.get_template(name).render(context)


ONE_STEP = """\
import torch
w = torch.tensor(1.0, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
loss = (2*w - 5)**2
loss.backward()
opt.step()
"""


def _contexts() -> list[tuple[str, Any]]:
    math = PlayState(SEED, "math", SEED_INPUTS)
    stepped = PlayState("z = 2x + x*y", "math", (("x", "3"),), step=3)
    python = PlayState(BACKWARD_TWICE)
    refused = PlayState("x = (", "python")
    playground = chrome_for(embed=False)
    embed_all = chrome_for(True, big="1", edit="1")
    embed_bare = chrome_for(True, hide="editor,console,table,slider,lessons")
    page_math = _page(math, playground)
    page_python = _page(python, embed_all, lang="zh", notice="!")
    page_refused = _page(refused, embed_bare)
    page_stepped = _page(stepped, playground)
    page_empty = _page(PlayState("import torch\n"), playground)
    page_training = _page(lesson_state(find_lesson("linear-regression-concise")), playground)
    page_one_step = _page(PlayState(ONE_STEP), playground)  # a chart of one point: a dot

    def part(page: views.PageView, changed: bool) -> views.RunPart:
        return views.RunPart(page.t, page.chrome, page.result, page.inputs, changed)

    return [
        ("index.html", page_math),
        ("index.html", page_stepped),
        ("index.html", page_empty),
        ("index.html", page_training),
        ("index.html", page_one_step),
        ("embed.html", page_python),
        ("embed.html", page_refused),
        ("run.html", part(page_math, True)),
        ("run.html", part(page_python, False)),
        ("partials/_problems.html", part(page_refused, False)),
    ]


@pytest.fixture(scope="module")
def rendered() -> tuple[Recorder, list[str]]:
    recorder = Recorder()
    pages = [_render(name, view, recorder) for name, view in _contexts()]
    return recorder, pages


VIEW_MODELS = [
    cls
    for cls in vars(views).values()
    if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == views.__name__
]


@pytest.mark.parametrize("model", VIEW_MODELS, ids=lambda cls: cls.__name__)
def test_templates_read_exactly_the_view_model_fields(
    rendered: tuple[Recorder, list[str]], model: type
) -> None:
    recorder, _ = rendered
    declared = {field.name for field in fields(model)}
    if model in (views.PageView, views.RunPart):
        read = _template_names()  # top-level context names: loaded by some template
        assert declared <= read, f"{model.__name__}: unused {declared - read}"
        return
    read = recorder.seen[model]
    assert read == declared, (
        f"{model.__name__}: unused {declared - read}, unknown {read - declared}"
    )


def test_every_label_is_used_and_translated(rendered: tuple[Recorder, list[str]]) -> None:
    recorder, _ = rendered
    code = "\n".join(path.read_text(encoding="utf-8") for path in WEB_SOURCES)
    in_code = set(re.findall(r"\bt\.([a-z_]+)\b", code))
    for field in fields(Labels):
        assert field.name in recorder.seen[Labels] | in_code, f"label {field.name} is never shown"
        assert getattr(ZH, field.name), f"label {field.name} has no Chinese text"
        if field.name not in SAME_IN_BOTH:
            assert getattr(ZH, field.name) != getattr(EN, field.name), field.name


def _template_names() -> set[str]:
    env = environment()
    names: set[str] = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        tree = env.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    return names


def test_only_the_svg_is_marked_safe() -> None:
    for path in TEMPLATES_DIR.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        safe = re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", text)
        assert safe in ([], ["{{ result.svg|safe }}"]), f"{path.name}: {safe}"
        assert "<script>" not in text and " on" + "click=" not in text.lower()


def test_rendered_partials_show_the_run(rendered: tuple[Recorder, list[str]]) -> None:
    _, pages = rendered
    (
        page_math,
        page_stepped,
        page_empty,
        page_training,
        page_one_step,
        page_python,
        page_refused,
        run_math,
        run_python,
        problems,
    ) = pages
    assert 'id="t0"' in page_math and "24.0" in page_math and "8.0" in page_math
    assert page_math.count('class="node-detail"') == page_math.count('class="tip"') > 5
    assert 'hx-swap-oob="innerHTML:#inputs"' in run_math
    assert 'hx-swap-oob="innerHTML:#inputs"' not in run_python
    assert 'hx-swap-oob="innerHTML:#side"' in run_python
    assert "Trying to backward through the graph a second time" in page_python
    assert "retain_graph=True" in page_python and "第一次调用时传入" in page_python  # zh hint
    assert 'data-line="6"' in page_python  # the failing backward() is line 6
    assert "y is tensor(9., grad_fn=&lt;MulBackward0&gt;)" in page_python
    assert "Step 3 of 5" in page_stepped and 'id="t2"' not in page_stepped
    assert 'data-line="1" data-col="4"' in problems and "line 1, column 5" in problems
    assert "No tensors bound to names." in page_empty and "No graph yet" in page_empty
    assert 'class="panel console"' not in page_refused  # hide=console
    assert 'class="stepper is-hidden"' in page_refused
    assert 'id="training"' in page_training and 'data-series="net.0.weight"' in page_training
    # a backward over fixed leaves is no training: no panel (the backward-twice lesson was
    # charted as "loss 40 → 30"); one optimizer step is, a single point, folded
    assert 'id="training"' not in page_math and 'id="training"' not in page_python
    assert 'id="training"' in page_one_step and 'id="training" open' not in page_one_step
    assert 'class="tip-error"' in page_python and 'class="node-error"' in page_python
    assert "freed by backward call 1" not in page_python  # zh page
    assert "已被第 1 次 backward 释放" in page_python
    assert 'id="training"' not in page_empty and 'id="training"' not in problems


# --- the URL state -------------------------------------------------------------------------------


def test_state_token_round_trip() -> None:
    state = PlayState("z = 2x + xy\n# 中文", "math", (("x", "3"), ("y", "[1, 2]")), "cpu", 2, "zh")
    assert decode(encode(state), 100_000) == state


@pytest.mark.parametrize(
    "token",
    ["", "!!!", "AAAA", encode(PlayState("x")) + "AAAA"],
    ids=["empty", "junk", "zeros", "tail"],
)
def test_bad_tokens_are_refused(token: str) -> None:
    from app.web.state import StateError

    with pytest.raises(StateError):
        decode(token, 100_000)


def test_a_token_cannot_inflate_past_the_cap() -> None:
    from app.web.state import StateError

    bomb = encode(PlayState("#" * 200_000))
    assert len(bomb) < 2_000
    with pytest.raises(StateError):
        decode(bomb, 50_000)


# --- over HTTP -----------------------------------------------------------------------------------

HX = {"HX-Request": "true"}


def _form(source: str, mode: str = "python", **extra: Any) -> dict[str, Any]:
    return {"source": source, "mode": mode, "device": "cpu", "lang": "en", **extra}


def test_run_partial_and_page_vary_on_hx_request(http: httpx.Client) -> None:
    data = _form(SEED, "math", input_name=["x", "y"], input_value=["3", "6"], inputs_mode="math")
    partial = http.post("/run", data=data, headers=HX)
    page = http.post("/run", data=data)
    for response in (partial, page):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["vary"]
        assert response.headers["content-type"].startswith("text/html")
    assert "<html" not in partial.text and 'id="result-meta"' in partial.text
    assert page.text.startswith("<!doctype html>") and 'id="result-meta"' in page.text
    assert 'id="t4"' in partial.text and "24.0" in partial.text


def test_refusal_is_a_problem_partial_with_its_position(http: httpx.Client) -> None:
    response = http.post("/run", data=_form("x = torch.tensor(1.)\ny = x +* 2"), headers=HX)
    assert response.status_code == 200  # htmx swaps it; the JSON API answers 422
    assert response.headers["HX-Retarget"] == "#problems"
    assert 'data-kind="refusal"' in response.text
    assert 'data-line="2"' in response.text and "line 2, column" in response.text
    assert http.post("/api/v1/run", json={"source": "y = x +* 2"}).status_code == 422


def test_step_error_partial_keeps_the_graph(http: httpx.Client) -> None:
    response = http.post("/run", data=_form(BACKWARD_TWICE, lang="zh"), headers=HX)
    assert 'data-kind="error"' in response.text
    assert "<svg" in response.text and 'id="f0"' in response.text
    assert "第一次调用时传入 retain_graph=True" in response.text


def test_hostile_text_is_escaped(http: httpx.Client) -> None:
    source = f"import torch\nprint('{HOSTILE}')\n# </textarea>{HOSTILE}\n"
    partial = http.post("/run", data=_form(source), headers=HX)
    assert HOSTILE not in partial.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in partial.text
    # a hostile input *name* (math mode) and source, through the shared-link path
    state = PlayState(f"z = 2x + {HOSTILE}", "math", ((HOSTILE, "1"), ("x", "2")))
    page = http.get("/", params={"s": encode(state)})
    assert page.status_code == 200
    assert HOSTILE not in page.text and "</textarea><script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    refused = http.post(
        "/run", data=_form("z = 2x +", "math", input_name=[HOSTILE], input_value=["1"])
    )
    assert HOSTILE not in refused.text


@pytest.mark.parametrize("path", ["/", "/embed", "/?lang=zh", "/embed?big=1&hide=editor"])
def test_pages_render(server_url: str, path: str) -> None:
    response = httpx.get(server_url + path, timeout=30)  # no shared cookie jar: ?lang= sets one
    assert response.status_code == 200
    assert 'id="playground"' in response.text and "<svg" in response.text


def test_security_headers(http: httpx.Client) -> None:
    page = http.get("/")
    embed = http.get("/embed")
    api = http.post("/api/v1/run", json={"source": "1 + 1"})
    static = http.get("/static/js/main.js")
    for response in (page, embed, api, static):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for response in (page, api, static):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert static.headers["content-type"].startswith("text/javascript")


def test_language_choice_is_remembered(http: httpx.Client) -> None:
    with httpx.Client(base_url=str(http.base_url)) as client:  # its own cookie jar
        response = client.get("/?lang=zh")
        assert 'lang="zh-CN"' in response.text and "自动求导计算图" in response.text
        assert "lang=zh" in response.headers["set-cookie"]
        assert "自动求导计算图" in client.get("/").text
        assert "自动求导计算图" not in client.get("/?lang=en").text


def test_lesson_and_bad_link(http: httpx.Client) -> None:
    with httpx.Client(base_url=str(http.base_url)) as client:  # ?lang= sets a cookie
        lesson = client.get("/", params={"lesson": "backward-twice", "lang": "zh"})
    assert "不保留计算图就第二次反向传播" in lesson.text and 'data-kind="error"' in lesson.text
    broken = http.get("/", params={"s": "not-a-token"})
    assert broken.status_code == 400 and "could not be read" in broken.text


def test_vendored_htmx_is_pinned_and_licensed() -> None:
    vendor = TEMPLATES_DIR.parent / "static" / "vendor"
    assert (vendor / "htmx-2.0.11.min.js").read_text().startswith("var htmx=")
    assert "Zero-Clause BSD" in (vendor / "htmx-2.0.11.LICENSE.txt").read_text()
    assert "/static/vendor/htmx-2.0.11.min.js" in (TEMPLATES_DIR / "base.html").read_text()


# --- opening and shutting folds and modules (issue 16) -------------------------------------------

MODULE = "import torch\nnet = torch.nn.Linear(2, 1)\nout = net(torch.ones(2)).sum()\n"


def test_unfold_and_fold_ride_in_the_state_token() -> None:
    state = PlayState(MODULE, unfold=("g0", "m2"), fold=("m0",))
    assert decode(encode(state), 100_000) == state
    assert "unfold" not in PlayState(MODULE).to_json()  # older links stay byte-for-byte


@pytest.mark.parametrize(
    "value", [["m"], ["x1"], "m0", [1], ["m0"] * 65], ids=["bare", "letter", "text", "int", "many"]
)
def test_bad_unfold_in_a_token_is_refused(value: Any) -> None:
    from app.web.state import StateError, from_mapping

    with pytest.raises(StateError):
        from_mapping({"source": MODULE, "fold": value})


def test_a_posted_fold_draws_the_module_as_one_box(http: httpx.Client) -> None:
    opened = http.post("/run", data=_form(MODULE), headers=HX)
    shut = http.post("/run", data=_form(MODULE, fold="m0"), headers=HX)
    assert (
        'class="cluster module"' in opened.text
        and 'class="node module collapsed"' not in opened.text
    )
    assert 'id="m0" class="node module collapsed"' in shut.text
    assert http.post("/run", data=_form(MODULE, fold="m0 <b>"), headers=HX).status_code == 400


def test_a_shared_link_opens_with_its_modules_as_they_were(http: httpx.Client) -> None:
    page = http.get("/", params={"s": encode(PlayState(MODULE, fold=("m0",)))})
    assert page.status_code == 200
    assert 'id="m0" class="node module collapsed"' in page.text
    assert 'id="fold-field" value="m0"' in page.text
