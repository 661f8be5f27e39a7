"""URLs of the public site (SAAS_BASE_DOMAIN): landing page, sign-up, operator console, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from saas.forms import StaffLoginForm
from tenants import views
from tenants.views import operator, signup

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", signup.signup_page, name="signup"),
    path("signup/availability", signup.subdomain_check, name="signup-availability"),
    path("signup/submit", signup.signup_submit, name="signup-submit"),
    path("operator/", operator.console, name="operator-console"),
    path("operator/<int:pk>/suspend", operator.suspend, name="operator-suspend"),
    path("operator/<int:pk>/resume", operator.resume, name="operator-resume"),
    path("operator/<int:pk>/domains", operator.add_domain, name="operator-add-domain"),
    path("operator/<int:pk>/export", operator.export, name="operator-export"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=StaffLoginForm,
            redirect_authenticated_user=True,
            next_page="/operator/",
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("admin/", admin.site.urls),
]
