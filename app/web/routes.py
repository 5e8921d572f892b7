"""Page routes. Filled in by the playground-page work (issue 5)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
