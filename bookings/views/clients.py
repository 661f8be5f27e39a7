"""Staff pages for clients: a searchable list and a client's page with their booking history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from bookings.models import Client
from bookings.selectors import client_bookings, clients_matching
from tours.access import staff_required


@staff_required
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(clients_matching(search), 50).get_page(request.GET.get("page"))
    return render(request, "bookings/client_list.html", {"page": page, "q": search})


@staff_required
@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=client_id)
    bookings = client_bookings(client)
    return render(
        request,
        "bookings/client_detail.html",
        {
            "client": client,
            "bookings": bookings,
            "seats_total": sum(b.participants for b in bookings if b.holds_seats),
        },
    )
