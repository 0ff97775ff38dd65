from counter.hub import schema
from counter.hub.connection import connect


def test_init_twice(hub_url):
    conn = connect(hub_url)
    assert schema.apply(conn)[:3] == ["h001_initial", "h002_office", "h003_sync_paging"]
    assert schema.apply(conn) == []
    assert schema.check_version(conn) == schema.LATEST
