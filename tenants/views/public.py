from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def landing(request: HttpRequest) -> HttpResponse:
    """The public site's front page: what Tourdesk is, and where to sign up."""
    return render(request, "public/landing.html")
