# Trellis production image: gunicorn serves the web app; the same image runs the
# Celery worker and beat (see docker-compose.yml). Configure it with the
# environment variables listed in README.md ("Configuration").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 trellis \
    && useradd --system --uid 10001 --gid trellis --home-dir /app --shell /usr/sbin/nologin trellis

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
# (pyproject.toml declares no packages: `pip install .` installs the pinned
# dependencies; the code itself runs from /app.)
COPY pyproject.toml README.md /tmp/trellis/
RUN pip install /tmp/trellis && rm -rf /tmp/trellis

COPY . .

# Static files are collected into the image and served by WhiteNoise. Settings
# refuse to load without SECRET_KEY when DEBUG is off; this build-time key is
# used for nothing else and never reaches the running container.
RUN SECRET_KEY=collectstatic-build-only DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p var \
    && chown trellis:trellis var

USER trellis

EXPOSE 8000

# Python rather than curl (not in the slim image). The Host header is the first
# ALLOWED_HOSTS entry, or Django would answer 400 to a request for 127.0.0.1.
# /healthz is exempt from SECURE_SSL_REDIRECT, so plain http inside the container works.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"

CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
