# connect-risk: one image for the CLI, the API and the worker.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 risk
WORKDIR /app

COPY pyproject.toml README.md ./
COPY features ./features
COPY training ./training
COPY service ./service
RUN pip install .

# State (databases, the MLflow store, datasets) lives under ./var of the working directory;
# made here, owned by the user, so a fresh volume mounted on it is writable by that user.
RUN mkdir -p /home/risk/var && chown risk:risk /home/risk/var
USER risk
WORKDIR /home/risk
VOLUME ["/home/risk/var"]
EXPOSE 8000
ENTRYPOINT ["connect-risk"]
# Any subcommand works (`docker run IMAGE worker`, `... train --data /data`); the default serves.
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
