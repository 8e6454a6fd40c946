import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility_hub.settings")

app = Celery("mobility_hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
