# The same app as `make run`: Graphviz from Debian, CPU torch, non-root, uvicorn app.main:app.
FROM python:3.11-slim-bookworm

# An index serving CPU-only torch wheels keeps the image small; PyPI's Linux torch is a CUDA build.
ARG TORCH_INDEX=""

RUN apt-get update \
 && apt-get install -y --no-install-recommends graphviz \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/app
COPY pyproject.toml README.md ./
COPY app ./app
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} torch==2.13.0 \
 && pip install --no-cache-dir .
# the app finds templates/ and static/ beside the package, as in a checkout
ENV PYTHONPATH=/srv/app

# Non-root: the workers then keep the language-level sandbox, the memory cap and the socket
# guard, and make their own directory read-only (see app/service/sandbox.py). Run the container
# with --cap-add SYS_ADMIN as root instead to give them read-only mounts and their own network
# namespace too.
RUN useradd --system --create-home playground
USER playground
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--loop", "uvloop", "--http", "httptools"]
