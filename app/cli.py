"""`autograd-playground serve` and `autograd-playground run prog.py` (prints the JSON answer)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograd-playground")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app (uvicorn)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    run = commands.add_parser("run", help="run a program and print the JSON answer")
    run.add_argument("program", type=Path, help="a .py file, or - for standard input")
    run.add_argument("--math", action="store_true", help="the file is math notation")
    run.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args.host, args.port)
    return _run(args.program, args.math, args.device)


def _serve(host: str | None, port: int | None) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run("app.main:app", host=host or settings.host, port=port or settings.port)
    return 0


def _run(program: Path, math: bool, device: str) -> int:
    from app.lang.errors import ProgramError
    from app.pipeline import RunRequest, execute, payload

    source = sys.stdin.read() if str(program) == "-" else program.read_text(encoding="utf-8")
    request = RunRequest(source=source, mode="math" if math else "python", device=device)
    try:
        outcome = execute(request, get_settings())
    except ProgramError as exc:
        print(json.dumps({"detail": exc.to_dict()}, ensure_ascii=False, indent=2))
        return 2
    print(json.dumps(payload(outcome), ensure_ascii=False, indent=2))
    return 0 if outcome.run.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
