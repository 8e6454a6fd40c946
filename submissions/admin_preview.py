"""The preview of a submission: each public page it changes, as it will look once it is published.

The rows are saved as publishing would save them, inside a transaction that is always undone
(services.submission_as_published), and the public page is rendered by its own view, found through
the URLconf (this layer does not import the pages), for an anonymous visitor in the chosen language.
Nothing is published, cached or logged: a banner on top says it is a preview.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, override

from .models import Submission
from .services import PublishRefused, submission_as_published

PREVIEWABLE = (Submission.Status.READY_FOR_REVIEW, Submission.Status.APPROVED)


def public_path(obj, language):
    """The path of `obj`'s public page in `language`, or None when it has none (a draft, a row
    shown only on another row's page)."""
    url = getattr(obj, "get_absolute_url", None)
    if obj is None or url is None:
        return None
    with override(language):
        return url()


def _page_request(request, path, language):
    """A GET of `path` by an anonymous visitor, as the middlewares would hand it to the view."""
    page_request = HttpRequest()
    page_request.method = "GET"
    page_request.path = page_request.path_info = path
    page_request.META = {**request.META, "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}
    page_request.COOKIES = {}
    page_request.user = AnonymousUser()
    page_request.LANGUAGE_CODE = language
    return page_request


def _rendered(request, path, language):
    """The HTML of the public page at `path`, or None when it answers anything but 200."""
    with override(language):  # the language prefix of the path resolves in its own language only
        try:
            match = resolve(path)
        except Resolver404:
            return None
        page_request = _page_request(request, path, language)
        page_request.resolver_match = match
        try:
            response = match.func(page_request, *match.args, **match.kwargs)
        except Http404:
            return None
        if isinstance(response, SimpleTemplateResponse):
            response.render()
    return response.content.decode() if response.status_code == 200 else None


def _with_banner(html, banner):
    """The page with the preview banner first in its body."""
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + banner + html[end:]


def _banner(submission, rows, current):
    back = reverse("admin:submissions_submission_change", args=[submission.pk])
    return format_html(
        '<div class="preview-banner" role="status"><p><strong>{}</strong> {}</p>'
        '<p>{}: {}</p><p><a href="{}">{}</a></p></div>',
        gettext("Preview: nothing is published yet."),
        gettext("This is the public page as it will look once submission #%(number)s is approved and published.")
        % {"number": submission.pk},
        gettext("Other languages"),
        format_html(
            " · ".join(["{}"] * len(settings.LANGUAGES)),
            *[
                format_html('<a href="?row={}&amp;language={}" lang="{}">{}</a>', current, code, code, name)
                for code, name in settings.LANGUAGES
            ],
        ),
        back,
        gettext("Back to the submission (%(count)s rows in the preview)") % {"count": len(rows)},
    )


def preview_view(model_admin, request, submission):
    """The list of the pages a submission changes (no ?row=), or one of them as it will look."""
    change = reverse("admin:submissions_submission_change", args=[submission.pk])
    if submission.status not in PREVIEWABLE:
        messages.warning(request, gettext("Only a submission awaiting review (or approved) has a preview."))
        return HttpResponseRedirect(change)
    language = request.GET.get("language") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    try:
        with submission_as_published(submission) as rows:
            pages = [(entry, public_path(obj, language)) for entry, obj in rows]
            chosen = request.GET.get("row")
            if chosen is None or not chosen.isdigit() or int(chosen) >= len(pages):
                context = {
                    **model_admin.admin_site.each_context(request),
                    "opts": model_admin.opts,
                    "original": submission,
                    "title": gettext("Preview of submission #%(number)s") % {"number": submission.pk},
                    "pages": list(enumerate(pages)),
                    "languages": settings.LANGUAGES,
                    "language": language,
                }
                return render(request, "admin/submissions/submission/preview.html", context)
            entry, path = pages[int(chosen)]
            html = _rendered(request, path, language) if path else None
    except PublishRefused as refused:
        messages.error(request, gettext("No preview: %(problem)s") % {"problem": str(refused)})
        return HttpResponseRedirect(change)
    if html is None:
        messages.info(
            request,
            gettext("%(row)s will have no public page of its own once published (a draft, or a part of another page).")
            % {"row": entry.key},
        )
        return HttpResponseRedirect(reverse("admin:submissions_submission_preview", args=[submission.pk]))
    response = HttpResponse(_with_banner(html, _banner(submission, pages, chosen)))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
