from counter.hub import schema
from counter.hub.connection import connect


def test_init_twice(hub_url):
    conn = connect(hub_url)
    assert schema.apply(conn) == [name for _n, name, _sql in schema.MIGRATIONS]
    assert schema.apply(conn) == []
    assert schema.check_version(conn) == schema.LATEST
