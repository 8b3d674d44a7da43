# The clinic shop's image: gunicorn serving Django, the same image runs the Celery worker and beat.

# The front-end files the shop serves itself (jQuery), from package-lock.json, without the
# browser test tools (devDependencies).
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SHOP_VAR_DIR=/app/var

WORKDIR /app
# WeasyPrint's Pango and HarfBuzz's subsetter, and the fonts of the tax invoices (Latin from
# DejaVu, Chinese names from Noto CJK): the same Debian packages as `make system-packages`.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/shop shop

# The runtime dependencies of pyproject.toml only (no test tools), at the locked versions.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/runtime.txt \
    && pip install -c requirements.lock -r /tmp/runtime.txt

COPY . .
# STATICFILES_DIRS serves node_modules/jquery/dist as /static/vendor/jquery/.
COPY --from=assets /assets/node_modules/jquery/dist /app/node_modules/jquery/dist
# collectstatic needs settings; these build-time values sign nothing at run time.
# Every folder docker-compose.yml mounts a volume on exists here, owned by the shop's user:
# a new volume takes its owner from the image (else root, and the shop could not write).
# The tax documents' cut of the Chinese font (`make fonts`), in the image: no volume on it.
RUN SECRET_KEY=collectstatic-only DEBUG=false STATIC_MANIFEST=true \
    python manage.py collectstatic --noinput -v0 \
    && python -m shop.invoices.fonts /app/var/fonts \
    && mkdir -p /app/var/media /app/var/whoosh_index && chown -R shop /app/var

USER shop
EXPOSE 8000
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
