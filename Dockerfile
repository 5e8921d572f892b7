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
RUN pip install --no-cache-dir ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} torch==2.13.0 \
 && pip install --no-cache-dir .

RUN useradd --system --create-home playground
USER playground
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
