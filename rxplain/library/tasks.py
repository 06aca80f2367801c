"""Background work of the library: the answer index is rebuilt from published pages after each publish."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def rebuild_index() -> int:
    from rxplain.library.answer_index import rebuild

    return rebuild(progress=False)
