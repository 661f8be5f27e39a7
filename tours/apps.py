from django.apps import AppConfig


class ToursConfig(AppConfig):
    name = "tours"
    verbose_name = "Tours"

    def ready(self) -> None:
        from tours import live  # noqa: F401  (registers the live topics and streams)
