"""gunicorn's settings for the production image (the Dockerfile runs
``gunicorn --config gunicorn.conf.py portal.wsgi:application``; run from the repository's
folder, a bare ``gunicorn portal.wsgi:application`` reads this file too).

gunicorn reads two settings from the environment itself, so they are not set here and can be
changed at run time (``docker run -e``, or ``environment:`` in docker-compose.yml):
- WEB_CONCURRENCY: worker processes (about 2 x CPU cores; each also runs ``threads`` threads).
- FORWARDED_ALLOW_IPS: peers whose X-Forwarded-Proto gunicorn believes. Inside a container the
  TLS proxy's address is not known in advance (it is not 127.0.0.1), so the Dockerfile trusts
  every peer; this is only safe because the container port must be reachable only through that
  proxy. Set it to the proxy's address or network (e.g. 172.16.0.0/12) to be stricter. Django
  itself trusts X-Forwarded-Proto only when BEHIND_TLS_PROXY=1.
"""

bind = "0.0.0.0:8000"
worker_class = "gthread"
threads = 4
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 1000
max_requests_jitter = 100
# Workers heartbeat through a temporary file: in memory, not on the container's overlay disk.
worker_tmp_dir = "/dev/shm"  # noqa: S108

accesslog = "-"
errorlog = "-"
# The access log leaves out query strings and the Referer: searches (?q=Smith) and links carry
# names and keys that must not reach the logs (DESIGN invariant 3). The three links that carry
# their key in the path itself (invitation, password reset, email confirmation) are logged with
# that segment replaced by [redacted], in the access log and the error log alike.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
logger_class = "portal.log_redaction.RedactingGunicornLogger"
