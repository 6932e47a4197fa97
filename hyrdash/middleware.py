"""Middleware of our own."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, and many
    of the region's computers run an English Windows and browser: their users
    would get English they never asked for. Only the choice stored by
    `set_language` (the language cookie) changes the language here.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def page_cache_header(get_response):
    """X-Hyrdash-Cache: hit or miss, when the page used the page cache
    (hyrdash.lib.pagecache): bench/load.py counts the hit rate from it."""

    from hyrdash.lib import pagecache

    def middleware(request):
        pagecache.reset_outcome()
        response = get_response(request)
        found = pagecache.outcome()
        if found:
            response["X-Hyrdash-Cache"] = found
        return response

    return middleware
