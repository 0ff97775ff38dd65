from counter.hub import schema
from counter.hub.connection import connect


def test_init_twice(hub_url):
    conn = connect(hub_url)
    assert schema.apply(conn) == ["h001_initial", "h002_office"]
    assert schema.apply(conn) == []
    assert schema.check_version(conn) == 2
