"""Dashboard: server-rendered pages over the analytics queries, with offline static assets.

``dashboard`` holds the routes (mounted by the API app), ``markup`` the HTML and SVG helpers,
``static/`` the stylesheet and script (no CDN).
"""
