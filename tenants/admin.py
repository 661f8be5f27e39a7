"""Django admin on the public site, for platform staff. Changes of state go through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tenants.admin import TenantAdminMixin

from tenants.models import Business, BusinessEvent, Domain
from tenants.services import business_resume, business_suspend


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


def _actor(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


@admin.action(description="Suspend the selected businesses")
def suspend_selected(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Business]) -> None:
    for business in queryset.filter(is_spare=False, status=Business.Status.ACTIVE):
        business_suspend(business=business, actor=_actor(request))
        messages.success(request, f"{business.name} suspended.")


@admin.action(description="Resume the selected businesses")
def resume_selected(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Business]) -> None:
    for business in queryset.filter(is_spare=False, status=Business.Status.SUSPENDED):
        try:
            business_resume(business=business, actor=_actor(request))
            messages.success(request, f"{business.name} resumed.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))


@admin.register(Business)
class BusinessAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "schema_name", "status", "is_spare", "time_zone", "created_at")
    list_filter = ("status", "is_spare")
    search_fields = ("name", "schema_name", "domains__domain")
    # Status changes go through suspend/resume (audit trail); schemas through the commands.
    readonly_fields = ("schema_name", "status", "created_at", "is_spare")
    inlines = [DomainInline]
    actions = [suspend_selected, resume_selected]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sign-up or `manage.py create_business` provision a business

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # `manage.py delete_business` exports first and drops the schema


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain", "tenant__name")
    list_select_related = ("tenant",)


@admin.register(BusinessEvent)
class BusinessEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "business", "kind", "actor")
    list_filter = ("kind",)
    readonly_fields = ("business", "kind", "actor", "detail", "created_at")
