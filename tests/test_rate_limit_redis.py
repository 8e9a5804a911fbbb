"""With PORTAL_REDIS_URL the wrong-code counter lives in Redis (shared by
every instance), keyed by a hash — never the client's address."""

from __future__ import annotations

import os
import uuid

import pytest

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


def test_wrong_codes_counted_in_redis_without_the_address(make_app):
    redis = _redis()
    prefix = f"portal-test-{uuid.uuid4().hex}"
    app = make_app(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    try:
        codes = [client.post("/da/answer", data={"code": f"ABCD {i:04d}"}).status_code for i in range(11)]
        assert codes == [200] * 10 + [429]
        # A second instance sharing Redis sees the same person's counter.
        other = make_app(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix).test_client()
        other.environ_base["REMOTE_ADDR"] = "198.51.100.23"
        other.set_cookie("portal_session", client.get_cookie("portal_session").value)
        assert other.post("/da/answer", data={"code": "ABCD 9999"}).status_code == 429
        keys = [k.decode() for k in redis.scan_iter(f"*{prefix}*")]
        assert keys
        assert not any("198.51.100.23" in key for key in keys)
        for key in keys:
            assert "198.51.100.23" not in str(redis.dump(key))
    finally:
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)
