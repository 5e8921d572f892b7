"""The `autograd-playground` command.

autograd-playground serve [--host H] [--port P]
autograd-playground run prog.py [--math] [--device D]          the JSON answer
autograd-playground render prog.py -o graph.svg [--math] [--format svg|png|dot|json]
                                    [--style playground|torchviz] [--direction backward]
                                    [--scale 2] [--background white|transparent|dark]
                                    [--step N] [--no-legend] [--lang en|zh]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

from app import problems
from app.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args.host, args.port)
    source = sys.stdin.read() if args.program == "-" else Path(args.program).read_text("utf-8")
    inputs = _inputs(args.input)
    if args.command == "run":
        return _run(source, args.math, args.device, inputs, args.lang)
    return _render(source, args, inputs)


def _inputs(pairs: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        values = [float(v) for v in text.split(",")]
        inputs[name.strip()] = values if "," in text else values[0]
    return inputs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograd-playground")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app (uvicorn)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    for name, text in (("run", "print the JSON answer"), ("render", "draw the autograd graph")):
        command = commands.add_parser(name, help=text)
        command.add_argument("program", help="a .py file (or math notation with --math); - = stdin")
        command.add_argument("--math", action="store_true", help="the file is math notation")
        command.add_argument("--device", default="cpu")
        command.add_argument(
            "--input",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="math mode: a leaf's value, e.g. x=3 or v=1,2,3 (repeatable)",
        )
        command.add_argument("--lang", choices=["en", "zh"], default="en",
                             help="words and refusals: en or zh")  # fmt: skip
    render = commands.choices["render"]
    render.add_argument("-o", "--output", help="file to write (default: standard output)")
    render.add_argument("--format", choices=["svg", "png", "dot", "json"], default="svg")
    render.add_argument("--style", choices=["playground", "torchviz"], default="playground")
    render.add_argument("--direction", choices=["forward", "backward"], default="forward")
    _slide_options(render)
    return parser


def _scale(text: str) -> float:
    value = float(text)
    if not 0.5 <= value <= 4.0:  # the API's bound: a bitmap grows with the square of the scale
        raise argparse.ArgumentTypeError("the scale is between 0.5 and 4")
    return value


def _slide_options(render: argparse.ArgumentParser) -> None:
    """What a picture for a slide needs: size, a background the theme shows, one step."""
    render.add_argument("--scale", type=_scale, default=1.0, help="2 = twice as large (0.5 to 4)")
    render.add_argument("--background", choices=["white", "transparent", "dark"],
                        default="white", help="dark: a palette for a dark slide theme")  # fmt: skip
    render.add_argument("--step", type=int, default=None, metavar="N",
                        help="the graph after the first N executed statements")  # fmt: skip
    render.add_argument("--no-legend", dest="legend", action="store_false",
                        help="leave out the colour legend")  # fmt: skip


def _serve(host: str | None, port: int | None) -> int:
    import uvicorn

    from app.server import SERVE_OPTIONS  # header deadline, no proxy rewriting (app/server.py)

    settings = get_settings()
    uvicorn.run(
        "app.main:app", host=host or settings.host, port=port or settings.port, **SERVE_OPTIONS
    )
    return 0


def _execute(
    source: str, math: bool, device: str, inputs: dict[str, Any], lang: str, **options: Any
) -> Any:
    from app.lang.errors import ProgramError
    from app.pipeline import RunRequest, execute

    mode = "math" if math else "python"
    request = RunRequest(source, mode, inputs, device, lang=lang, **options)
    try:
        return execute(request, get_settings())
    except ProgramError as exc:
        problem = problems.to_json(problems.from_program_error(exc), lang=lang)
        print(json.dumps(problem, ensure_ascii=False, indent=2), file=sys.stderr)
        return None


def _run(source: str, math: bool, device: str, inputs: dict[str, Any], lang: str) -> int:
    from app.pipeline import payload

    outcome = _execute(source, math, device, inputs, lang)
    if outcome is None:
        return 2
    print(json.dumps(payload(outcome), ensure_ascii=False, indent=2))
    return 0 if outcome.run.error is None else 1


def _render(source: str, args: argparse.Namespace, inputs: dict[str, Any]) -> int:
    fmt = "graph" if args.format == "json" else args.format
    options = {"formats": (fmt,), "style": args.style, "direction": args.direction,
               "step": args.step, "legend": args.legend, "scale": args.scale,
               "background": args.background}  # fmt: skip
    outcome = _execute(source, args.math, args.device, inputs, args.lang, **options)
    if outcome is None:
        return 2
    if args.format == "json":
        data: bytes = json.dumps(outcome.graph.to_json(), ensure_ascii=False, indent=2).encode()
    elif args.format == "png":
        data = base64.b64decode(outcome.renderings["png"] or "")
    else:
        data = (outcome.renderings.get(args.format) or "").encode("utf-8")
    if not data:
        print("; ".join(outcome.notes) or "nothing to draw", file=sys.stderr)
        return 1
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    if outcome.run.error is not None:
        print(f"{outcome.run.error.type}: {outcome.run.error.message}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # python -m app.cli: the same as the autograd-playground command
    sys.exit(main())
