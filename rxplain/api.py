"""The JSON API (django-ninja), OpenAPI docs at /api/docs. Each app adds its router in its own api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="Rxplain API", version="1.0", urls_namespace="api")


def _mount() -> None:
    # Routers live beside their app; an app without an api.py simply adds nothing.
    import importlib

    for app in ("consult", "course", "feedback"):
        try:
            module = importlib.import_module(f"rxplain.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"rxplain.{app}.api":
                raise
            continue
        api.add_router(module.PREFIX, module.router)


_mount()
