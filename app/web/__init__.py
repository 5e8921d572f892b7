"""HTML pages and htmx partials (Jinja2 templates in templates/), and the embed view."""
