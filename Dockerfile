# syntax=docker/dockerfile:1
# Two stages: Node builds the Tailwind CSS, the final image has only Python and the built files.
# Base images are pinned by digest (the tag says what it is, the digest what is pulled);
# scripts/pin_images.sh refreshes the digests on a machine that reaches the registry (docs/supply-chain.md).
FROM node:22-bookworm-slim@sha256:f576cc608b02e6b04bb0700e13be83eb5ceb7bb24584c3181b0f4ecfa0cd0edf AS css
WORKDIR /app/theme/static_src
COPY theme/static_src/package.json theme/static_src/package-lock.json ./
RUN npm ci --no-audit --no-fund
# Tailwind scans every app's templates and Python files (theme/static_src/src/styles.css @source):
# copy the whole context (.dockerignore keeps secrets, environments and local state out).
COPY . /app
RUN npm run build

FROM python:3.11-slim-bookworm@sha256:fe556eaffd0d96abd8685b83bb8a69addd0dc730fa193669a7df0d49ddcfac02
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DEBUG=False
WORKDIR /app
RUN useradd --create-home --uid 1000 app
# The lock carries every distribution's sha256: pip refuses a file that does not match.
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt
COPY . .
COPY --from=css /app/theme/static/css/dist /app/theme/static/css/dist
# collectstatic needs settings that import; a throwaway key is fine for this build step only.
RUN SECRET_KEY=build-only-$(python -c "import secrets;print(secrets.token_urlsafe(64))") \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && mkdir -p /app/private_media /app/media && chown -R app:app /app/private_media /app/media
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "talentvisa.wsgi:application"]
