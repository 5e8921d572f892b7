"""Every limit and option, read from PLAYGROUND_* environment variables (one place).

`get_settings()` is cached and injected with FastAPI's Depends; tests override it.
Each field is documented in the README's settings table (a test keeps them in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from ipaddress import ip_network
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one run, handed from settings to the language and the engine.

    No defaults here: the values (and their documentation) live once, in `Settings`.
    """

    max_source_chars: int
    max_ast_nodes: int
    max_ast_depth: int
    max_statements: int
    max_loop_iterations: int
    max_ops: int
    max_tensor_elements: int
    max_live_elements: int
    max_allocated_elements: int
    max_int_bits: int
    max_sequence_len: int
    max_output_chars: int
    max_backward_calls: int
    max_call_depth: int
    max_run_seconds: float
    max_value_elements: int
    max_container_depth: int
    max_tensor_dims: int
    max_backward_elements: int
    worker_memory_mb: int

    @classmethod
    def defaults(cls) -> Limits:
        """The documented defaults, whatever the environment says."""
        return cls(**{name: Settings.model_fields[name].default for name in cls.__slots__})


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
    max_call_depth: int = Field(
        50, description="Deepest nesting of calls to the program's own functions."
    )
    max_run_seconds: float = Field(5.0, description="Wall time of one run, in seconds.")
    max_value_elements: int = Field(
        10_000, description="Most elements of a value or gradient sent back in full."
    )
    max_container_depth: int = Field(
        100, description="Deepest nesting of lists, tuples and nn.Sequential a program builds."
    )
    max_tensor_dims: int = Field(32, description="Most dimensions of one tensor.")
    max_backward_elements: int = Field(
        200_000_000,
        description="Most gradient elements one backward may compute (its graph, sized before "
        "it starts; a node counts as 10,000, a product's multiply-adds, matrix, batched or "
        "convolution, as one per 32).",
    )
    max_graph_nodes: int = Field(
        300,
        description="Most nodes drawn in a picture (larger graphs: the part nearest the output).",
    )
    graph_module_collapse_nodes: int = Field(
        40,
        ge=0,
        description="Graphs with more nodes draw each torch.nn module call as one box (a "
        "program's own modules stay expanded; a request's unfold/fold changes either).",
    )
    graph_module_calls: int = Field(
        2000,
        ge=1,
        description="Most nn.Module calls a run remembers for the graph's module groups (the "
        "latest; older calls' nodes are drawn ungrouped).",
    )
    graph_backward_calls: int = Field(
        20,
        ge=4,  # the last half holds the last call that completed before one that raised
        description="Most backward calls the graph JSON lists with their gradients (past it: "
        "the first and the last ones, and a note).",
    )
    layout_seconds: float = Field(5.0, description="Time limit of one Graphviz layout, in seconds.")
    picture_reuse: bool = Field(
        True,
        description="Redraw a picture whose labels changed only in their digits from a saved "
        "one, without a new layout (off: lay out every picture).",
    )
    workers: int = Field(
        2, description="Worker processes that run programs (0: run them in the web process)."
    )
    queue_limit: int = Field(64, description="Requests that may wait for a worker before 503.")
    queue_wait_seconds: float = Field(
        30.0, description="Longest wait for a free worker before 503."
    )
    slow_client_seconds: float = Field(
        60.0,
        description="How long a client whose run hit max_run_seconds waits behind the others "
        "(and may not hold every worker).",
    )
    slow_workers: int = Field(
        1,
        ge=0,
        description="Worker processes beside `workers` for the runs of clients whose runs hit "
        "max_run_seconds (at the lowest CPU priority), so those never take a worker from the "
        "others (0: they share `workers`, at most half of them).",
    )
    worker_max_runs: int = Field(10_000, description="Runs after which a worker is replaced.")
    worker_memory_mb: int = Field(2048, description="Address-space cap of a worker, in MiB.")
    rate_limit_per_minute: int = Field(
        1200, description="Requests per minute one client may make (0: no limit)."
    )
    rate_limit_burst: int = Field(300, description="Requests one client may make at once.")
    max_body_bytes: int = Field(262_144, description="Largest request body, in bytes (413).")
    body_timeout_seconds: float = Field(
        10.0, description="Time a client has to send its request body (408)."
    )
    max_json_depth: int = Field(
        32, description="Deepest nesting of a JSON body or share link accepted (422 beyond)."
    )
    page_max_nodes: int = Field(
        400,
        description="Most graph nodes and backward steps a page describes (the rest: a note).",
    )
    page_max_rows: int = Field(
        1_000, description="Most console lines and tensor rows a page shows (the rest: a note)."
    )
    page_max_answer_bytes: int = Field(
        8_388_608,
        description="Largest run answer a page reads, in bytes (larger: the page says to use "
        "the JSON API, which has it all).",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of proxies whose X-Forwarded-For "
        "is believed, `unix` for the one in front of a Unix socket (default: none; the "
        "connecting address is the client).",
    )
    public_url: str = Field(
        "",
        description="The site's public base URL for share and embed links, e.g. "
        "https://playground.example.org (empty: relative links; the Host header is never used).",
    )
    header_timeout_seconds: float = Field(
        10.0,
        description="Time a connection has to send a request's headers before it is closed "
        "(served through `autograd-playground serve` or the Dockerfile).",
    )
    cache_entries: int = Field(2048, description="Answers kept for identical requests.")
    graph_reuse_entries: int = Field(
        4,
        ge=0,
        description="Traced runs a worker keeps so that the same program drawn again (a fold or "
        "a module expanded, other picture options) is not run again (0: none).",
    )
    graph_reuse_megabytes: int = Field(
        128, ge=0, description="Memory the kept traced runs may use in a worker, in MiB."
    )
    cache_megabytes: int = Field(64, description="Memory the answer cache may use, in MiB.")
    redis_url: str = Field(
        "",
        description="Redis shared by every replica for the answer cache and the rate limits, "
        "e.g. `redis://redis:6379/0` (empty: in this process).",
    )
    redis_ttl_seconds: int = Field(
        86_400, description="How long Redis keeps an answer, in seconds (0: share no answers)."
    )
    cuda_upstream: str = Field(
        "",
        description="Base URL of the GPU replicas: runs asking for `cuda` that this instance "
        "cannot run go there (empty: refused here).",
    )
    advertised_devices: str = Field(
        "",
        description="Comma-separated devices this instance lists as its own (empty: those it "
        "has); a run on one it lacks is still refused.",
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="`json`: one JSON object a line, with the request id (`text`: plain)."
    )
    host: str = Field("127.0.0.1", description="Address `autograd-playground serve` binds.")
    port: int = Field(8000, description="Port `autograd-playground serve` binds.")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """Refused at start-up, not at the first request (ValueError names the bad part)."""
        for part in (part.strip() for part in value.split(",")):
            if part and part != "unix":
                ip_network(part, strict=False)
        return value

    @field_validator("public_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s\"'<>?#]+", value):
            raise ValueError("public_url must be an http(s) URL without a query, e.g. https://host")
        return value

    @cached_property
    def limits(self) -> Limits:
        return Limits(**{name: getattr(self, name) for name in Limits.__slots__})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
