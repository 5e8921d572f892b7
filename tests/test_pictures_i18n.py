"""Pictures for the classroom: in the reader's language (labels, legend, refusals), sized and
coloured for a slide, and saying what they show to a screen reader.

Expected texts come from the graph model of the same run (torch's values, formatted by the same
`preview`), never from numbers written here.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pytest

from app.lang.messages import in_language, preferred_language
from app.pipeline import RunRequest, execute
from app.render.palette import PALETTES
from app.render.preview import preview
from app.render.words import WORDS
from app.settings import get_settings
from tests.conftest import ROOT, RunApi

SVG = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u4e00-\u9fff]")
PROGRAM = """import torch
x = torch.tensor(3.0, requires_grad=True)
y = x * x
y.backward()
"""
NAMED = "import torch\n梯度 = torch.tensor(2.0, requires_grad=True)\n值 = 梯度 * 3\n值.backward()\n"


def _run(source: str = PROGRAM, **options: object) -> dict[str, object]:
    formats = options.pop("formats", ("svg", "dot", "graph"))
    request = RunRequest(source, formats=tuple(formats), **options)  # type: ignore[arg-type]
    outcome = execute(request, get_settings())
    return {**outcome.renderings, "graph": outcome.graph}


def _pixels(png: bytes) -> np.ndarray:
    """A PNG (8-bit RGB or RGBA, not interlaced, as Graphviz's cairo writes) → H×W×C array."""
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 4 if colour == 6 else 3
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    rows = np.zeros((height, stride), dtype=np.int32)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        rows[y] = _unfilter(kind, np.frombuffer(line, np.uint8).astype(np.int32), rows, y, channels)
    return rows.reshape(height, width, channels).astype(np.uint8)


def _unfilter(kind: int, line: np.ndarray, rows: np.ndarray, y: int, bpp: int) -> np.ndarray:
    up = rows[y - 1] if y else np.zeros_like(line)
    if kind == 0:
        return line
    if kind == 2:
        return (line + up) % 256
    out = line.copy()
    for i in range(len(line)):
        left = out[i - bpp] if i >= bpp else 0
        corner = up[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (line[i] + left) % 256
        elif kind == 3:
            out[i] = (line[i] + (left + up[i]) // 2) % 256
        else:  # Paeth
            p = left + up[i] - corner
            pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
            guess = left if pa <= pb and pa <= pc else up[i] if pb <= pc else corner
            out[i] = (line[i] + guess) % 256
    return out


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("id")}


def _texts(group: ET.Element) -> list[str]:
    return [t.text or "" for t in group.iter(f"{SVG}text")]


# --- 中文 in the picture ----------------------------------------------------------------------


def test_chinese_picture_labels_and_legend() -> None:
    shown = _run(lang="zh")
    graph, groups = shown["graph"], _groups(str(shown["svg"]))
    zh = WORDS["zh"]
    for node in graph.nodes:  # type: ignore[attr-defined]
        texts = _texts(groups[node.id])
        if node.kind == "tensor":
            assert f"{zh['value']} {preview(node.value)}" in texts, texts
            if node.grad is not None:
                assert f"{zh['grad']} {preview(node.grad)}" in texts, texts
        elif node.freed:
            assert zh["freed"] in texts, texts
    legend = " ".join(_texts(groups["legend"]))
    for key in ("leaf", "intermediate", "output", "constant", "detached", "op", "error"):
        assert zh[key] in legend, (key, legend)
    drawn = " ".join(t for g in groups.values() for t in _texts(g))
    for english in ("value ", "grad ", "saved tensors freed", "leaf tensor", "op (grad_fn)"):
        assert english not in drawn, english
    # torch's own names stay as torch writes them
    ops = {n.op for n in graph.nodes if n.kind == "function"}  # type: ignore[attr-defined]
    assert ops and all(op in drawn for op in ops)


def test_english_is_the_default_picture() -> None:
    drawn = " ".join(t for g in _groups(str(_run()["svg"])).values() for t in _texts(g))
    assert "value " in drawn and not CJK.search(drawn)


def _fonts_without_cjk(tmp_path: Path) -> Path:
    """A fontconfig setup with the system's rules and every font folder but the CJK one."""
    conf = tmp_path / "fonts.conf"
    dirs = "".join(
        f"<dir>{d}</dir>"
        for d in sorted(Path("/usr/share/fonts").glob("*/*"))
        if "noto" not in d.name
    )
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'{dirs}<include ignore_missing="yes">/etc/fonts/conf.d</include>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    return conf


def _cli_png(program: Path, out: Path, lang: str, fonts: Path | None) -> np.ndarray:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fonts)
    command = [sys.executable, "-m", "app.cli", "render", str(program), "--format", "png"]
    command += ["--lang", lang, "-o", str(out)]
    subprocess.run(command, env=env, check=True, timeout=120, capture_output=True)
    return _pixels(out.read_bytes())


def test_chinese_png_has_glyphs_not_tofu(tmp_path: Path) -> None:
    """With the CJK font hidden, Chinese renders as boxes (tofu); the installed font must draw
    something else. The same picture in English must not change: only CJK depends on it."""
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert listed.strip(), "no CJK font: run `make system-deps` (installs fonts-noto-cjk)"
    program = tmp_path / "named.py"
    program.write_text(NAMED, "utf-8")
    hidden = _fonts_without_cjk(tmp_path)
    english = _cli_png(program, tmp_path / "en.png", "en", None)
    english_hidden = _cli_png(program, tmp_path / "en-hidden.png", "en", hidden)
    chinese = _cli_png(program, tmp_path / "zh.png", "zh", None)
    tofu = _cli_png(program, tmp_path / "zh-hidden.png", "zh", hidden)
    assert english.shape == english_hidden.shape
    # the variable names are Chinese in both languages: they differ where CJK is drawn
    assert chinese.shape != tofu.shape or np.abs(chinese.astype(int) - tofu).sum() > 0
    assert not np.array_equal(english, english_hidden)  # the names 梯度/值 are CJK here too
    latin = tmp_path / "latin.py"
    latin.write_text(PROGRAM, "utf-8")
    plain = _cli_png(latin, tmp_path / "plain.png", "en", None)
    plain_hidden = _cli_png(latin, tmp_path / "plain-hidden.png", "en", hidden)
    assert np.array_equal(plain, plain_hidden)  # no CJK: the hidden font changes nothing


# --- refusals in the reader's language --------------------------------------------------------


def test_refusal_follows_lang_and_accept_language(run_api: RunApi, http) -> None:  # type: ignore[no-untyped-def]
    """A refusal is a problem body (app/problems.py): `detail` in the reader's language."""
    status, data = run_api("import os", lang="zh")
    assert status == 422 and CJK.search(data["detail"]) and "'os'" in data["detail"]
    assert data["hints"]["en"].startswith("import of 'os' not allowed")
    assert data["hints"]["zh"] == data["detail"]
    response = http.post(
        "/api/v1/run",
        json={"source": "import os"},
        headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 422 and CJK.search(response.json()["detail"])
    status, data = run_api("import os")
    assert status == 422 and not CJK.search(data["detail"])


def test_limit_refusal_in_chinese_keeps_the_limit(run_api: RunApi) -> None:
    status, data = run_api("x = 1\n" * 5000, lang="zh")
    assert status == 422 and data["kind"] == "limit" and CJK.search(data["detail"])
    assert f"{data['limit']} = {data['value']}" in data["detail"]


def _hostile_refusals() -> list[str]:
    from tests.test_refusals import HOSTILE

    messages = []
    for param in HOSTILE:
        payload, expect = param.values
        if isinstance(payload, str) and expect.type in ("not_allowed", "limit", "syntax"):
            messages.append(payload)
    return messages


def test_every_refusal_reads_in_chinese() -> None:
    """The phrase rules cover the class: every refusal of the hostile table reads in 中文 by a
    rule of its shape (no rule-less fallback needed), with names and limits kept."""
    from app.lang.errors import ProgramError

    sources = _hostile_refusals()
    assert len(sources) > 50
    for source in sources:
        with pytest.raises(ProgramError) as refused:
            execute(RunRequest(source), get_settings())
        zh = in_language(refused.value.message, "zh")  # no kind: no fallback prefix
        assert CJK.search(zh) and "not allowed" not in zh, (source, refused.value.message, zh)
        limit = getattr(refused.value, "limit", None)
        assert limit is None or limit in zh


def test_accept_language() -> None:
    assert preferred_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert preferred_language("en-US,zh;q=0.5") == "en"
    assert preferred_language("fr, zh;q=0.3") == "zh"
    assert preferred_language(None) == "en" and preferred_language("de") == "en"
    assert preferred_language("zh;q=x,en") == "en"


# --- slide-ready pictures ---------------------------------------------------------------------


def test_scale_grows_png_pixels_and_svg_size() -> None:
    one = _run(formats=("png", "svg"), background="white")
    two = _run(formats=("png", "svg"), background="white", scale=2.0)
    small, large = _pixels(base64.b64decode(one["png"])), _pixels(base64.b64decode(two["png"]))
    assert abs(large.shape[0] / small.shape[0] - 2) < 0.05
    assert abs(large.shape[1] / small.shape[1] - 2) < 0.05
    size = re.compile(r'<svg[^>]*?width="([\d.]+)pt" height="([\d.]+)pt"[^>]*viewBox="([^"]+)"')
    (w1, h1, box1), (w2, h2, box2) = (
        size.search(one["svg"]).groups(),
        size.search(two["svg"]).groups(),
    )
    assert box1 == box2 and float(w2) == pytest.approx(2 * float(w1), abs=0.02)
    assert float(h2) == pytest.approx(2 * float(h1), abs=0.02)


def test_backgrounds() -> None:
    corner = {}
    for background in ("transparent", "white", "dark"):
        png = _run(formats=("png",), background=background)["png"]
        corner[background] = tuple(_pixels(base64.b64decode(png))[0, 0])
    assert corner["transparent"][-1] == 0
    assert corner["white"][:3] == (255, 255, 255)
    dark = corner["dark"][:3]
    assert max(dark) < 64  # a dark slide's background
    dot = _run(formats=("dot",), background="dark")["dot"]
    assert f'fontcolor="{PALETTES["dark"].text}"' in dot


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", sorted(PALETTES))
def test_every_outline_edge_and_text_keeps_3_to_1(background: str) -> None:
    colours = PALETTES[background]
    lines = [style["color"] for style in colours.tensors.values()]
    lines += [colours.function["color"], colours.freed["color"], colours.edge, colours.error]
    lines += [style["color"] for style in colours.edges.values() if "color" in style]
    lines += [colours.module["color"], colours.cluster, colours.fold["color"]]  # the groupings
    for colour in lines:
        assert _contrast(colour, colours.behind) >= 3, (background, colour)
    fills = [style["fillcolor"] for style in colours.tensors.values()]
    fills += [colours.module["fillcolor"], colours.fold["fillcolor"]]
    for fill in fills + [colours.function["fillcolor"], colours.freed["fillcolor"]]:
        assert _contrast(colours.text, fill) >= 4.5, (background, fill)


def test_cli_slide_options(tmp_path: Path) -> None:
    program = tmp_path / "p.py"
    program.write_text(PROGRAM, "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def cli(*options: str) -> str:
        command = [sys.executable, "-m", "app.cli", "render", str(program), *options]
        done = subprocess.run(command, env=env, capture_output=True, timeout=120, check=True)
        return done.stdout.decode("utf-8")

    whole = json.loads(cli("--format", "json"))
    first = json.loads(cli("--format", "json", "--step", "2"))
    assert len(first["nodes"]) < len(whole["nodes"])  # the graph after two statements
    assert 'id="legend"' in cli() and 'id="legend"' not in cli("--no-legend")
    assert 'bgcolor="#ffffff"' in cli("--format", "dot")  # white by default: any slide theme
    assert "值 " in cli("--lang", "zh")
    bad = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", str(program), "--scale", "9"],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and b"scale" in bad.stderr


def test_api_rejects_bad_slide_options(run_api: RunApi) -> None:
    for fields in ({"scale": 0}, {"scale": 100}, {"background": "pink"}, {"lang": "fr"}):
        status, data = run_api(PROGRAM, formats=["png"], **fields)
        assert status == 422 and data["kind"] == "request", (fields, data)


# --- accessible SVG ---------------------------------------------------------------------------


def test_svg_export_says_what_it_shows() -> None:
    shown = _run(lang="en")
    graph, root = shown["graph"], ET.fromstring(str(shown["svg"]))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == WORDS["en"]["title"]
    tensors = sum(n.kind == "tensor" for n in graph.nodes)  # type: ignore[attr-defined]
    assert desc is not None and f"{tensors} tensors" in (desc.text or "")
    groups = _groups(str(shown["svg"]))
    names = {n.id: getattr(n, "label", None) or n.op for n in graph.nodes}  # type: ignore[attr-defined]
    for node in graph.nodes:  # type: ignore[attr-defined]
        group = groups[node.id]
        assert group.findtext(f"{SVG}title") == " ".join(_texts(group))
    for edge in graph.edges:  # type: ignore[attr-defined]
        said = groups[edge.id].findtext(f"{SVG}title") or ""
        assert said.startswith(f"{names[edge.source]} → {names[edge.target]}")
        if edge.grad is not None:
            assert preview(edge.grad) in said


# --- the page: 中文 picture, edges said on their target --------------------------------------


def test_page_picture_and_edges_in_the_readers_language() -> None:
    from app.web.formatting import preview as page_number
    from app.web.state import PlayState
    from tests.test_web_partials import _ran

    state = PlayState(PROGRAM)
    result = _ran(state, "zh").result
    graph = _run(formats=("graph",))["graph"]
    assert f">{WORDS['zh']['value']} " in result.svg and ">value " not in result.svg
    labels = {n.id: n.label for n in graph.nodes if n.kind == "tensor"}  # type: ignore[attr-defined]
    said = {node.id: node.receives for node in result.nodes}
    for edge in graph.edges:  # type: ignore[attr-defined]
        source = labels.get(edge.source)
        if edge.grad is not None and source:  # a tensor feeding an op: said on the op
            assert f"从 {source} 收到 {page_number(edge.grad)}" in said[edge.target], said
    english = _ran(state, "en").result
    flows = [text for node in english.nodes for text in node.receives]
    assert any(text.startswith("receives ") for text in flows), flows
    assert all(len(node.receives) == len(
        [e for e in graph.edges if e.target == node.id]  # type: ignore[attr-defined]
    ) for node in english.nodes)  # fmt: skip


# --- 中文 in every word of ours: compact nodes, folds, error nodes ---------------------------

COMPACT = """import torch
from torch import nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
big = torch.randn(300, 300).double()
loss = ((net(torch.randn(16, 4)) - 1) ** 2).mean() + big.sum() * 0
loss.backward()
opt.step()
"""
FOLDED = """import torch
x = torch.tensor(1.0, requires_grad=True)
y = x
for i in range(40):
    h = y * 1.01
    y = h + 0.5
y.backward()
"""
NON_SCALAR = """import torch
x = torch.ones(3, requires_grad=True)
y = x * 2
z = y.grad
y.backward()
"""
# Words that stay as they are on purpose: Python and torch identifiers the program and
# PyTorch's documentation use (`grad_fn`, `backward()`, `.grad`, `gradient`, `None`), and the
# name "PyTorch" before torch's own message, quoted as torch wrote it.
IDENTIFIERS = ("grad_fn", "backward()", ".grad", "gradient", "None", "PyTorch")


def _said(svg: str) -> list[str]:
    """Every text a reader meets in the SVG: drawn text, titles and tooltips."""
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter() if t.tag in (f"{SVG}text", f"{SVG}title")]
    texts += [a.get("{http://www.w3.org/1999/xlink}title", "") for a in root.iter(f"{SVG}a")]
    return texts


ZH_SAID = {
    "compact": (COMPACT, ("值", "梯度", "更新：最大 |Δ|", "最小", "最大", "（太大，未发送）")),
    "fold": (FOLDED, (" 次迭代", "第 ")),
    "error": (NON_SCALAR, (WORDS["zh"]["reason_non_scalar"], WORDS["zh"]["reason_non_leaf_grad"])),
}


@pytest.mark.parametrize(("source", "expected"), ZH_SAID.values(), ids=ZH_SAID.keys())
def test_no_english_word_of_ours_in_a_chinese_picture(source: str, expected: tuple[str]) -> None:
    """Folds, compact nodes (thumbnail captions, their min/max tooltips, the step row), error
    tooltips and the picture's own titles: every word ours is 中文; what stays is IDENTIFIERS,
    torch's op names and messages, the program's names and dtype/device badges."""
    shown = _run(source, lang="zh")
    graph = shown["graph"]
    keep = [*IDENTIFIERS]
    for node in graph.nodes:  # type: ignore[attr-defined]
        if node.kind == "function":
            keep.append(node.op)  # MulBackward0: torch's name
        else:  # the program's names, and the dtype/device badges
            keep += [node.label, node.dtype.removeprefix("torch."), node.device]
    keep += [mark.message for mark in graph.errors]  # type: ignore[attr-defined]
    for module in graph.modules:  # type: ignore[attr-defined]
        keep += [*module.path.split("."), module.type]  # the program's names, torch's classes
    said = _said(str(shown["svg"]))
    left = []
    for text in said:
        for word in sorted(keep, key=len, reverse=True):
            text = text.replace(word, " ")
        left += re.findall(r"[A-Za-z]{2,}", text)
    assert not left, left
    joined = " ".join(said)
    for text in expected:
        assert text in joined, (text, joined[:2000])
    assert not any(CJK.search(t) for t in _said(str(_run(source, lang="en")["svg"])))
