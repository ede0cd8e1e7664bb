# The service image: one image for the api, worker and migrate commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change reuses this layer.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Editable, because the migrations and alembic.ini are read from the source
# tree beside the core package rather than from site-packages.
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --no-create-home --home-dir /app hardship

USER hardship
EXPOSE 8000
ENTRYPOINT ["hardship"]
CMD ["api"]
