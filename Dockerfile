# Production image for the patient portal. One image runs every role: the default command is
# the web server (gunicorn); docker-compose.yml reuses it for migrations, the Celery worker and
# Celery beat by overriding the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# TIME_ZONE (default America/New_York) needs the IANA time zone database, and the dependencies
# do not include the PyPI tzdata package; make sure the system copy is there. Newer Debian
# bases ship only canonical names (America/New_York, not the legacy US/Eastern).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. Its home is writable (gunicorn puts its control socket
# in ~/.gunicorn); the source tree stays owned by root, so the running app cannot modify it.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
       --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when the production lock changes. It pins
# every package (transitive ones too) with hashes, so the image gets exactly the versions the
# tests ran with; pip refuses a file whose hash differs. The project itself is not installed:
# the code runs from /app.
COPY requirements/main.txt /tmp/requirements.txt
RUN pip install --require-hashes -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected (and compressed, hashed by WhiteNoise) and the translation catalogs
# compiled (portal/catalogs.py) at build time. The settings refuse to load without SECRET_KEY
# when DEBUG is off, so this step gets a throwaway value that exists only for this command and is
# not stored in the image.
RUN SECRET_KEY=build-only-not-a-secret DEBUG=0 python manage.py collectstatic --noinput \
    && python -m portal.catalogs --force \
    && python -m compileall -q /app

USER 10001:10001

EXPOSE 8000

# gunicorn's own settings are in gunicorn.conf.py: worker class and threads, time-outs, and the
# access log, which leaves out query strings and the Referer and redacts the keys of links
# (invitation, password reset, email confirmation) that travel in the path. gunicorn reads
# these two from the environment itself, so they can be changed at run time (docker run -e ...,
# or environment: in docker-compose.yml); see gunicorn.conf.py for what they mean.
ENV WEB_CONCURRENCY=3 \
    FORWARDED_ALLOW_IPS="*"

CMD ["gunicorn", "--config", "gunicorn.conf.py", "portal.wsgi:application"]
