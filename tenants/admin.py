from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from tenants.models import Business, BusinessEvent, Domain


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Business)
class BusinessAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "schema_name", "status", "time_zone", "created_at")
    list_filter = ("status", "is_spare")
    search_fields = ("name", "schema_name", "domains__domain")
    readonly_fields = ("schema_name", "created_at", "is_spare")
    inlines = [DomainInline]


@admin.register(BusinessEvent)
class BusinessEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "business", "kind", "actor")
    list_filter = ("kind",)
    readonly_fields = ("business", "kind", "actor", "detail", "created_at")
