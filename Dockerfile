# Tourdesk production image: gunicorn serving the Django project.
# Runtime configuration comes from the environment (see README.md): DATABASE_URL, SECRET_KEY,
# SAAS_BASE_DOMAIN, SENTRY_DSN, ... With DEBUG off the container refuses to start without a real
# SECRET_KEY.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=0 \
    PORT=8000 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

WORKDIR /app

# Dependencies first (cached layer): exactly the lock file, without the dev group.
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir uv==0.13.8 \
 && uv sync --frozen --no-dev --no-install-project \
 && pip uninstall -y uv

COPY . .
# The Datastar client (checked by sha256; the base image's pip downloads it), then static files for whitenoise. collectstatic needs
# no database; DATABASE_URL is a placeholder so that settings do not start the embedded server.
RUN /usr/local/bin/python scripts/fetch_datastar.py \
 && DATABASE_URL=postgresql://build@localhost/build SECRET_KEY=build-only-not-secret-build-only-x \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home /app tourdesk && chown -R tourdesk /app
USER tourdesk

EXPOSE 8000
# Run `python manage.py migrate_schemas` as a release step before starting new containers.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
