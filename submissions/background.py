"""The embedded mode's worker: one thread of the web process that runs the pipeline's tasks after
the response.

In the embedded mode Celery runs tasks eagerly: `delay()` runs the task inside the call, so the
validation of a large upload (16 s for 110,000 rows) would hold the request that sent it. Instead,
a task sent while Celery is eager is put on a queue served by one daemon thread, started on first
use, which runs the tasks one at a time in the order they were sent, each with its own database
connection (closed after each task). One thread rather than one per task: one file is checked at a
time, so memory stays that of one file and SQLite has a single writer; a thread rather than a
process: there is nothing to start or to stop. A task lost when the process stops (a restart in
the middle of a validation) leaves its submission in its state, where the outbox sweep
(services.submissions_sweep) finds it, as it finds a message a broker lost.

At the process's normal exit (a management command that submitted a file, the development server
stopped) the tasks sent are run to the end first, for at most CELERY_TASK_TIME_LIMIT seconds.

SUBMISSION_EMBEDDED_BACKGROUND = False runs eager tasks inline instead (the tests that run inside
one transaction, which a second connection could not see).
"""

import atexit
import logging
import queue
import threading
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_tasks = queue.Queue()
_thread = None
_starting = threading.Lock()


def in_background(task):
    """Whether `task` would run inline (Celery eager) and is to run in the background thread instead."""
    return bool(task.app.conf.task_always_eager) and settings.SUBMISSION_EMBEDDED_BACKGROUND


def send(task, *args):
    """Run `task(*args)` in the background thread, after the tasks sent before it."""
    global _thread
    with _starting:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="submissions-background", daemon=True)
            _thread.start()
            atexit.register(wait, timeout=getattr(settings, "CELERY_TASK_TIME_LIMIT", 300))
    _tasks.put((task, args))


def _work():
    while True:
        task, args = _tasks.get()
        try:
            task.apply(args=args, throw=True)
        except Exception:
            logger.exception("background task %s%r failed", task.name, args)
        finally:
            connections.close_all()
            _tasks.task_done()


def wait(timeout=60.0):
    """Wait until every task sent so far has run (tests, the benchmark); False on timeout."""
    deadline = time.monotonic() + timeout
    while _tasks.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
