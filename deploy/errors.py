"""French error pages for the answers the app never sees (produced by nginx or by
gunicorn before a request reaches Flask), with the app's security headers.

The headers come from `dashboard.security.security_headers` (one home); these pages
contain no script, so their policy carries no script hash. Texts shared with the
app (400, 403, 413, 500) come from `dashboard.security.ERROR_MESSAGES`.
"""

from __future__ import annotations

import html
from http import HTTPStatus

from dashboard import security

PROXY_MESSAGES = {
    408: "Délai dépassé : la requête n'est pas arrivée complète à temps. Rechargez la page.",
    414: "Adresse trop longue : le tableau de bord ne peut pas la traiter.",
    417: "Requête invalide : le serveur ne peut pas satisfaire l'en-tête « Expect ».",
    431: "En-têtes de la requête trop volumineux : le tableau de bord ne peut pas la traiter.",
    501: "Requête non prise en charge par le serveur.",
    502: "Le tableau de bord ne répond pas pour le moment. Réessayez dans quelques instants.",
    503: "Le tableau de bord est momentanément indisponible. Réessayez dans quelques instants.",
    504: "Le tableau de bord a mis trop de temps à répondre. Réessayez dans quelques "
         "instants ; pour un export, le bouton « Télécharger le graphique en PNG » de chaque "
         "graphique reste utilisable.",
}

TITLES = {
    400: "Requête invalide",
    403: "Accès refusé",
    408: "Délai dépassé",
    413: "Requête trop volumineuse",
    414: "Adresse trop longue",
    417: "Requête invalide",
    431: "En-têtes trop volumineux",
    500: "Erreur interne",
    501: "Requête non prise en charge",
    502: "Tableau de bord indisponible",
    503: "Service indisponible",
    504: "Délai de réponse dépassé",
}

NGINX_STATUSES = (400, 403, 404, 408, 413, 414, 431, 500, 502, 503, 504)
"""Statuses whose nginx page is replaced (nginx's 494, a header too large, is
answered as 431). nginx 1.22 closes a timed-out client connection without an
answer: the 408 page is there in case it ever answers one."""


def message(status: int) -> str:
    """The French sentence for an HTTP error status."""
    return PROXY_MESSAGES.get(status) or security.ERROR_MESSAGES.get(
        status, security.DEFAULT_ERROR)


def error_html(status: int) -> str:
    """A small self-contained French HTML page (no script, inline style only)."""
    title = TITLES.get(status, "Erreur")
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – Tableau de bord AURA-HLM</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 40rem;
       padding: 0 1rem; color: #212529; line-height: 1.5; }}
h1 {{ font-size: 1.5rem; }}
</style>
</head>
<body>
<h1>{html.escape(title)} ({status})</h1>
<p>{html.escape(message(status))}</p>
<p><a href="/">Revenir à l'accueil du tableau de bord</a></p>
</body>
</html>
"""


def headers() -> dict[str, str]:
    """Security headers of the error pages (no script hash: the pages have no script)."""
    return security.security_headers([])


def http_response(status: int, reason: str | None = None) -> bytes:
    """A complete HTTP/1.1 error answer (status line, headers, French page), closing
    the connection: what gunicorn writes when it refuses a request itself. `reason`
    is the status line's phrase (default: the standard one)."""
    body = error_html(status).encode("utf-8")
    if not reason or not reason.isascii() or "\r" in reason or "\n" in reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close",
             "Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}",
             "Cache-Control: no-store",
             *(f"{name}: {value}" for name, value in headers().items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
