"""The PostgreSQL hub: the only code in Counter that talks to PostgreSQL (psycopg 3).

Submodules:
    connection  connect from a URL; the hub password in the OS keyring or a user-only file
    schema      the hub's numbered migrations (literal SQL) and its roles
    hub_sql     the SQL sync runs against the hub: register, accept changes, page downloads
"""
