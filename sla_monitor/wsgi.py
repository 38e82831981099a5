import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sla_monitor.settings.base")
application = get_wsgi_application()

# What the process loaded to start is kept for good: frozen, it is left out of the garbage
# collector's full passes, which then look only at what requests make and take a fraction of
# the time.
gc.freeze()
