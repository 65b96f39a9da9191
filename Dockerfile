# One image for every service: `hockey-hub serve <service>`, `hockey-hub migrate all`, `hockey-hub up`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 hockeyhub
WORKDIR /app

# Dependencies first, so code changes rebuild only the last layers.
COPY pyproject.toml README.md ./
RUN mkdir -p hockey_hub shared subgraphs router && pip install -e . && rm -rf hockey_hub shared subgraphs router
COPY hockey_hub ./hockey_hub
COPY shared ./shared
COPY subgraphs ./subgraphs
COPY migrations ./migrations
COPY router ./router
COPY schema ./schema

USER hockeyhub
ENTRYPOINT ["hockey-hub"]
CMD ["up"]
