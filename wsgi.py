"""gunicorn entry point: `gunicorn wsgi:app`."""

from talentpool import create_app

app = create_app()
