"""URLs of the public site (SAAS_BASE_DOMAIN): landing page and platform admin."""

from django.contrib import admin
from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("admin/", admin.site.urls),
]
