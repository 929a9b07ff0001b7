"""A cache of whole pages for anonymous visitors, purged when content changes.

Only a request with no session or messages cookie can be answered from the cache, and only a
response that is a plain 200 for an anonymous visitor is stored: one that sets a cookie (a form
with a CSRF token), varies on Cookie because it read the session, or says private / no-store
(never_cache views) is never kept. A members-only page answers anonymous visitors with a
redirect to sign in, so it is never stored; signed-in people always carry a session cookie,
so they never get a stored page and their pages are never stored.

Purging is by generation: every key includes a number kept in the cache itself, and publishing,
unpublishing, moving or deleting a page (Wagtail's signals), or any change that shows on public
pages (bookings change places left; apps call `page_cache_purge`), increments it, so every
stored page is stale at once. With a shared cache (Redis, as production uses) a purge on one
web node reaches all of them. Stored pages also expire after PORTAL_PAGE_CACHE_SECONDS."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
CACHE_HEADER = "X-Page-Cache"
# Never cached: the admin, files (WhiteNoise and the serve views handle them) and health checks.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/healthz", "/readyz")


def _cache():
    return caches[getattr(settings, "PORTAL_PAGE_CACHE_ALIAS", "default")]


def _generation() -> int:
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 1
    return generation


def page_cache_purge(reason: str = "") -> None:
    """Make every stored page stale. Cheap: one increment."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 2, timeout=None)
    logger.debug("Page cache purged%s", f": {reason}" if reason else "")


def _key(request, generation: int) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"page-cache:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cookie_names() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages")


def request_is_cacheable(request) -> bool:
    if not getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0):
        return False
    if request.method not in {"GET", "HEAD"} or request.path_info.startswith(SKIP_PREFIXES):
        return False
    return not any(name in request.COOKIES for name in _cookie_names())


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    # A page that put a CSRF token in a form is the visitor's own, even without Set-Cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # Vary: Cookie is expected (the header reads the session to show "Sign in"); only requests
    # without a session or messages cookie reach here, so every one of them saw the same page.
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header}
    if "*" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


class AnonymousPageCacheMiddleware:
    """Near the top of MIDDLEWARE, so a hit skips sessions, authentication and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        cache = _cache()
        try:
            generation = _generation()
            stored = cache.get(_key(request, generation))
        except Exception:  # the cache being down must never take the site down
            logger.warning("Page cache unavailable; serving without it", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            stored[CACHE_HEADER] = "hit"
            return stored
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            seconds = settings.PORTAL_PAGE_CACHE_SECONDS
            if hasattr(response, "render") and callable(response.render):
                response.render()
            try:
                cache.set(_key(request, generation), response, seconds)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
            response[CACHE_HEADER] = "miss"
        return response


def purge_on_save(*models) -> None:
    """Purge whenever one of `models` is saved or deleted (apps call this for records shown on
    public pages, such as training sessions and bookings)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        uid = f"page-cache-purge-{model._meta.label_lower}"
        post_save.connect(_purge_for_record, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(_purge_for_record, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


def _purge_for_record(sender, **kwargs) -> None:
    page_cache_purge(f"{sender._meta.label} changed")


def _purge_for_page(sender, instance=None, **kwargs) -> None:
    page_cache_purge(f"page {getattr(instance, 'pk', '')} changed")


def connect_page_signals() -> None:
    """Wagtail's page signals: publishing, unpublishing (also sent when a live page is deleted)
    and moving change what visitors see on the page itself and on every listing of it."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_for_page, dispatch_uid=f"page-cache-purge-{id(signal)}", weak=False)
