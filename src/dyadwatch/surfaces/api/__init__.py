"""REST API: :func:`create_app` builds the FastAPI application over one store.

``app`` holds the routes, ``schemas`` the pydantic response models, ``intake`` the articles submitted
over ``POST /api/articles`` (through the same pipeline as ``dyadwatch ingest``).
"""

from dyadwatch.surfaces.api.app import ApiSettings, create_app

__all__ = ["ApiSettings", "create_app"]
