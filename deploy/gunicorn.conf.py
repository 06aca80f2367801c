# gunicorn -c deploy/gunicorn.conf.py rxplain.wsgi   (install gunicorn in production; not needed for `make run`)
import multiprocessing

bind = "127.0.0.1:8000"
workers = multiprocessing.cpu_count() * 2 + 1
threads = 4
timeout = 30
accesslog = "-"
# Access logs carry paths only; message text travels in POST bodies, which are never logged.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
