"""The fast SURT key is the ``surt`` package's key, URL for URL, plain or not."""

from __future__ import annotations

import random

import pytest
from surt import surt

import archive.index.surtkey as surtkey
from archive.index.surtkey import surt_key

HOSTS = ["example.com", "WWW.Example.COM", "www2.example.org", "a.b.c.d.co.uk", "127.0.0.1", "1234567",
         "01.02.03.04", "example.com.", "..example..com", "-", ".", "x", "EXAMPLE.com:80", "example.com:443",
         "example.com:8080", "example.com:0", "example.com:99999", "example.com:080", "xn--bcher-kva.ch", "1.2.3"]
PIECES = ["a", "B", "/", "//", ".", "..", "/./", "/../", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";",
          "=", ":", "@", "-", "_", "%20", "%2F", "%", "#", "?", " ", "\t", "é", "index.html", "aspx",
          "(S(abcdefghijklmnopqrstuvwx))/", "sid=0123456789abcdef0123456789abcdef", "JSESSIONID=",
          "jsessionid=0123456789abcdef0123456789ABCDEF", "cfid=1&cftoken=2",
          "ASPSESSIONIDQQGGGNCU=ABCDEFGHIJKLMNOPQRSTUVWX", "x=1", "b=2", "a=3", "A=1", "&", "==", "PhpSessID="]


def reference(url: str) -> str:
    try:
        return surt(url)
    except ValueError:
        return url


def random_url(rng: random.Random, pieces: list[str]) -> str:
    scheme = rng.choice(["http", "https", "HTTP", "ftp", "http", "https"])
    path = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6)))
    if path and rng.random() < 0.8:
        path = "/" + path
    query = ""
    if rng.random() < 0.5:
        query = "?" + "&".join("".join(rng.choice(pieces) for _ in range(rng.randrange(0, 3)))
                               for _ in range(rng.randrange(0, 4)))
    return f"{scheme}://{rng.choice(HOSTS)}{path}{query}"


@pytest.mark.parametrize("url", [
    "http://www.Example.com/News/Story.html?b=2&a=1", "https://example.com:443/", "http://example.com",
    "http://example.com:8080/a/?z&y=", "http://example.com/a/./b/../c", "http://example.com/%7Euser",
    "http://example.com/p?jsessionid=0123456789abcdef0123456789abcdef&x=1", "http://example.com/#frag",
    "http://127.0.0.1/x", "http://example.com:99999/", "http://example.com/a//b", "http://example.com/a?",
])
def test_known_urls(url):
    assert surt_key(url) == reference(url)


def test_random_urls():
    rng = random.Random(11)
    plain = PIECES[:26] + PIECES[33:35]  # no escapes, spaces, fragments or session ids
    for url in [random_url(rng, PIECES) for _ in range(6000)] + [random_url(rng, plain) for _ in range(6000)]:
        assert surt_key(url) == reference(url), url


def test_plain_urls_take_the_fast_path(monkeypatch):
    calls = []
    original = surtkey.surt
    monkeypatch.setattr(surtkey, "surt", lambda url: calls.append(url) or original(url))
    surtkey._host_part.cache_clear()
    urls = [f"http{'s' * (n % 2)}://outlet{n % 7}.example/news/Story-{n}.html?copy={n}&b=a" for n in range(500)]
    urls += [f"http://www.example.org/section/{n}/" for n in range(100)]
    for url in urls:
        assert surt_key(url) == reference(url), url
    assert len(calls) == 7 * 2 + 1  # once per scheme and host
