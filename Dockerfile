# The same app as `make run`: Graphviz from Debian, CPU torch, non-root, uvicorn app.main:app.
FROM python:3.11-slim-bookworm

# An index serving CPU-only torch wheels keeps the image small; PyPI's Linux torch is a CUDA build.
# torchvision goes in with --no-deps: its requirement would pull that CUDA torch back in.
ARG TORCH_INDEX=""

# fonts-noto-cjk: pictures with 中文 labels (lang=zh) or names draw glyphs, not boxes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends graphviz fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/app
COPY pyproject.toml README.md ./
COPY app ./app
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} torch==2.13.0 \
 && pip install --no-cache-dir --no-deps ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} torchvision==0.28.0 \
 && pip install --no-cache-dir .
# The app finds templates/ and static/ beside the package, as in a checkout. Read-only root file
# system friendly: nothing is written outside /tmp (no bytecode, caches and HOME under /tmp), so
# the container runs with `--read-only --tmpfs /tmp` (README, "Security").
ENV PYTHONPATH=/srv/app \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache \
    MPLCONFIGDIR=/tmp/.cache

# Non-root, owning nothing it runs: the workers keep the language-level sandbox, the memory cap
# and the socket guard, and make their own directory read-only (see app/service/sandbox.py).
# The OS boundary is the container's: `docker run --read-only --tmpfs /tmp --cap-drop ALL
# --security-opt no-new-privileges` (and, for the workers, no network: README, "Security").
RUN useradd --system --no-create-home --home-dir /tmp --shell /usr/sbin/nologin playground \
 && mkdir -p /run/playground && chown playground /run/playground  # for `uvicorn --uds` (README)
USER playground
EXPOSE 8000
# app/server.py: uvicorn's httptools protocol with a deadline on request headers, and no
# X-Forwarded-For rewriting (name a proxy in PLAYGROUND_TRUSTED_PROXIES instead).
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--loop", "uvloop", "--http", "app.server:GuardedHttpTools", "--no-proxy-headers"]
