"""/docs: Swagger UI from this server, under the same strict Content-Security-Policy as the
pages. Its assets (Swagger UI 5, which reads OpenAPI 3.1) come from the `fastapi-swagger`
package, whose files alone are used (no CDN: users' servers often
have no internet, and a CDN script would run with the API's origin); the start-up script is
a file of ours, since the policy admits no inline script. ReDoc needs a CDN and is not
offered: /openapi.json is there for any other viewer."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/static/swagger-ui"

PAGE = f"""<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mutasi API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Mount the bundled assets and serve the page (the app is made with docs_url=None)."""
    bundle = files("fastapi_swagger.resources")
    app.mount(ASSETS, StaticFiles(directory=str(bundle)), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)
