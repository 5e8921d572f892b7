"""Every limit and option, read from PLAYGROUND_* environment variables (one place).

`get_settings()` is cached and injected with FastAPI's Depends; tests override it.
Each field is documented in the README's settings table (a test keeps them in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one run, handed from settings to the language and the engine."""

    max_source_chars: int = 20_000
    max_ast_nodes: int = 5_000
    max_ast_depth: int = 60
    max_statements: int = 20_000
    max_loop_iterations: int = 10_000
    max_ops: int = 100_000
    max_tensor_elements: int = 1_000_000
    max_live_elements: int = 10_000_000
    max_allocated_elements: int = 50_000_000
    max_int_bits: int = 4_096
    max_sequence_len: int = 100_000
    max_output_chars: int = 100_000
    max_backward_calls: int = 1_000
    max_run_seconds: float = 5.0
    max_value_elements: int = 10_000


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLAYGROUND_", frozen=True)

    max_source_chars: int = Field(20_000, description="Longest program accepted, in characters.")
    max_ast_nodes: int = Field(5_000, description="Most syntax-tree nodes in one program.")
    max_ast_depth: int = Field(60, description="Deepest nesting of the syntax tree.")
    max_statements: int = Field(20_000, description="Most statements executed in one run.")
    max_loop_iterations: int = Field(
        10_000, description="Most loop iterations (all for/while loops together) in one run."
    )
    max_ops: int = Field(100_000, description="Most calls and operators evaluated in one run.")
    max_tensor_elements: int = Field(
        1_000_000, description="Most elements in one tensor (checked before allocating)."
    )
    max_live_elements: int = Field(
        10_000_000, description="Most tensor elements bound to names at once."
    )
    max_allocated_elements: int = Field(
        50_000_000, description="Most tensor elements created over a whole run."
    )
    max_int_bits: int = Field(4_096, description="Largest Python integer, in bits.")
    max_sequence_len: int = Field(100_000, description="Longest Python list, tuple or string.")
    max_output_chars: int = Field(100_000, description="Most characters of printed output.")
    max_backward_calls: int = Field(1_000, description="Most backward / autograd.grad calls.")
    max_run_seconds: float = Field(5.0, description="Wall time of one run, in seconds.")
    max_value_elements: int = Field(
        10_000, description="Most elements of a value or gradient sent back in full."
    )
    max_graph_nodes: int = Field(
        300,
        description="Most nodes drawn in a picture (larger graphs: the part nearest the output).",
    )
    layout_seconds: float = Field(5.0, description="Time limit of one Graphviz layout, in seconds.")
    host: str = Field("127.0.0.1", description="Address `autograd-playground serve` binds.")
    port: int = Field(8000, description="Port `autograd-playground serve` binds.")

    @cached_property
    def limits(self) -> Limits:
        return Limits(**{name: getattr(self, name) for name in Limits.__slots__})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
