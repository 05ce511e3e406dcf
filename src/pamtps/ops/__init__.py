"""The command service (``pamtps serve``): web pages and the JSON API of election day.

``pamtps.web.app.create_app`` builds the application. Security lives in ``users`` (roles,
passwords), ``sessions`` (logins, cookies, device tokens), ``auth`` (the FastAPI dependencies
every route uses), ``scope`` (what a user may see) and ``audit`` (the hash-chained log).
"""
