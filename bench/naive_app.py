"""The baseline: what a naive service would do for the same request, in the same run.

A minimal FastAPI endpoint that evaluates the seed example with torch and draws it with
`torchviz.make_dot(z).pipe('svg')` (Graphviz's `dot` in a subprocess), as a notebook user would.
Only the benchmark uses it.
"""

from __future__ import annotations

import torch
import torchviz
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class Seed(BaseModel):
    x: float = 3.0
    y: float = 6.0


@app.post("/run")
def run(seed: Seed) -> JSONResponse:
    x = torch.tensor(seed.x, requires_grad=True)
    y = torch.tensor(seed.y, requires_grad=True)
    z = 2 * x + x * y
    z.backward()
    svg = torchviz.make_dot(z, params={"x": x, "y": y}).pipe("svg").decode()
    return JSONResponse(
        {"z": z.item(), "x_grad": x.grad.item(), "y_grad": y.grad.item(), "svg": svg}
    )
