"""URLs of a business's own host (``<sub>.<base>``): the staff back office."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from saas.forms import StaffLoginForm
from saas.live import views as live_views
from tenants.views.login_link import login_link
from tours import views as tour_views

urlpatterns = [
    path("", tour_views.dashboard, name="dashboard"),
    path("dashboard/today", tour_views.dashboard_today, name="dashboard-today"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=StaffLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/magic/<str:token>/", login_link, name="login-link"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tours.urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.urls_public")),
    # Stream URLs (declared in the apps' live.py): here, the current state once.
    *live_views.url_patterns(),
]
