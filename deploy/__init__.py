"""Production deployment: gunicorn settings, nginx configuration renderer, French
error pages for the answers gunicorn and nginx produce themselves."""
