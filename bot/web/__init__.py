"""The coordinators' web dashboard (FastAPI + Jinja2, server-rendered, works without JavaScript)."""
