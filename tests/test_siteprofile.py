"""Site profiles: blocks repeated across a site's pages are removed, story text is kept."""

from __future__ import annotations

import json

import pytest

from archive.siteprofile import SiteProfile, block_key

CHROME = ["Sign up for the Gazette morning briefing in your inbox.",
          "Follow the Gazette on social media for 24 hour updates."]


WORDS = "harbour quay council ferry channel berth vote plan spring ministry bay study".split()


def page(number: int, chrome: list[str]) -> str:
    # story lines differ in their words, not only in their numbers (numbers are folded)
    story = [f"Story {number} sentence {k}: the {WORDS[(number + k) % 12]} and the "
             f"{WORDS[(number * 5 + k * 7) % 12]} were {WORDS[(number * 3 + k) % 12]} again."
             for k in range(3)]
    return "\n".join(story[:2] + chrome[:1] + story[2:] + chrome[1:])


def test_recurring_blocks_are_removed_once_the_profile_is_mature():
    profile = SiteProfile("gazette.test", min_pages=3)
    first = page(0, CHROME)
    profile.observe(first)
    assert profile.clean(first) == (first, 0)  # one page: nothing can be told apart yet
    for n in range(1, 8):
        profile.observe(page(n, CHROME))
    text, removed = profile.clean(page(8, CHROME))
    assert removed == 2
    assert "Sign up" not in text and "Follow the Gazette" not in text
    assert "Story 8 sentence 0" in text and "Story 8 sentence 2" in text



def test_figures_are_folded_in_counters_only_in_every_script():
    assert block_key("3 comments") == block_key("12 comments")
    # one template of two stories, told apart by their figures: a Japanese sentence, which has
    # no spaces, splits into as few pieces as a counter, and a site's protest stories lost
    # their police figures as the site's boilerplate
    assert (block_key("警察によると、議会付近で衝突が起き、1352人が拘束され、警察官57人が負傷した。")
            != block_key("警察によると、議会付近で衝突が起き、2081人が拘束され、警察官12人が負傷した。"))
    assert (block_key("ตำรวจระบุว่ามีผู้ถูกควบคุมตัว 2,143 คน และเจ้าหน้าที่ตำรวจได้รับบาดเจ็บ 17 นาย")
            != block_key("ตำรวจระบุว่ามีผู้ถูกควบคุมตัว 1,098 คน และเจ้าหน้าที่ตำรวจได้รับบาดเจ็บ 40 นาย"))
    assert block_key("コメント 3件") == block_key("コメント 12件")

def test_a_new_template_replaces_the_old_one():
    profile = SiteProfile("gazette.test", window=10, min_pages=3, min_share=0.3)
    for n in range(10):
        profile.observe(page(n, CHROME))
    new = ["Get Gazette Daily free every weekday.", "Join the conversation with the Gazette."]
    for n in range(10, 20):
        profile.observe(page(n, new))
    assert not profile.is_boilerplate(CHROME[0])  # the old template's blocks left the window
    assert profile.is_boilerplate(new[0]) and profile.is_boilerplate(new[1])


def test_a_profile_round_trips_through_plain_data():
    profile = SiteProfile("gazette.test", min_pages=3)
    for n in range(8):
        profile.observe(page(n, CHROME))
    again = SiteProfile.from_dict(profile.as_dict())
    assert again.boilerplate() == profile.boilerplate() and len(again.boilerplate()) == 2
    assert again.clean(page(9, CHROME)) == profile.clean(page(9, CHROME))


NEWSLETTER = "Sign up for the Gazette morning briefing and get the day's stories in your inbox."
FOLLOW = "Follow the Gazette on every social network for live updates from the harbour."
TOPICS = ("ferry fares", "quay works", "storm damage", "school buses", "fish market", "bridge tolls",
          "lighthouse repairs", "harbour dredging", "island clinic", "tram extension")


def _article_html(n: int) -> bytes:
    topic = TOPICS[n]
    paragraphs = "".join(
        f"<p>Paragraph {k} on the {topic}: councillor number {n} told the meeting that the {topic} "
        f"would cost the town more than planned, and residents asked why the {topic} came first "
        f"on a {('wet', 'windy', 'cold', 'long')[k % 4]} evening in the {('north', 'south')[k % 2]}.</p>"
        for k in range(4))
    return (f"<html><head><title>{topic.title()} | Halden Bay Gazette</title>"
            "<meta property='og:type' content='article'></head><body><article>"
            f"<h1>{topic.title()}</h1>{paragraphs}<p>{NEWSLETTER}</p><p>{FOLLOW}</p>"
            "</article></body></html>").encode()


def _gazette_routes(base: str) -> dict:
    import sites
    links = "".join(f"<li><a href='/story/{n}'>Story {n}</a></li>" for n in range(len(TOPICS)))
    routes = {"/robots.txt": sites.Route(b"User-agent: *\nAllow: /\n", "text/plain"),
              "/": sites.Route(f"<html><body><ul>{links}</ul></body></html>".encode())}
    routes.update({f"/story/{n}": sites.Route(_article_html(n)) for n in range(len(TOPICS))})
    return routes


@pytest.mark.slow
def test_a_crawl_learns_the_site_profile_and_holds_the_first_pages_until_then(tmp_path):
    import sites
    from conftest import run_crawl
    from warcio.archiveiterator import ArchiveIterator

    with sites.serve(_gazette_routes) as server:
        result = run_crawl([server.url("/")], tmp_path / "archive", depth=1)
    assert result.returncode == 0, result.stderr[-3000:]
    stats = result.stats
    assert stats["extract/ok"] == len(TOPICS)
    texts: dict[str, list[str]] = {}
    for path in (tmp_path / "archive" / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "conversion":
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    texts.setdefault(url, []).append(record.content_stream().read().decode())
    assert len(texts) == len(TOPICS)
    # one text per page: the first pages were held until the profile could clean them too
    assert all(len(v) == 1 for v in texts.values())
    assert all(NEWSLETTER not in v[0] and FOLLOW not in v[0] for v in texts.values())
    assert all("Paragraph 3 on the" in v[0] for v in texts.values())
    assert stats["extract/profile/held"] == 7  # the profile is mature at the 8th page
    assert stats["extract/profile/cleaned"] == len(TOPICS)
    site = server.base_url.split("//", 1)[1].rstrip("/").replace(":", "_")
    saved = json.loads((tmp_path / "archive" / "profiles" / f"{site}.json").read_text())
    assert saved["seen"] == len(TOPICS)


def test_site_profiles_hold_a_new_sites_pages_then_clean_them_and_persist(tmp_path):
    from archive.extract import Article as Page
    from archive.siteprofile import SiteProfiles

    profiles = SiteProfiles(tmp_path / "profiles", min_pages=3)
    held = [profiles.apply(Page(f"http://www.gazette.test/{n}", page(n, CHROME)), n) for n in range(5)]
    assert held == [[]] * 5  # a profile needs 6 pages at min_pages=3
    ready = profiles.apply(Page("http://gazette.test/5", page(5, CHROME)), 5)
    assert [token for token, _article, _removed in ready] == [0, 1, 2, 3, 4, 5]
    assert all(removed == 2 and "Sign up" not in article.text for _t, article, removed in ready)
    other = profiles.apply(Page("http://other.test/1", page(1, CHROME)), "x")
    assert other == [] and [t for t, _a, _r in profiles.flush()] == ["x"]
    profiles.save()
    again = SiteProfiles(tmp_path / "profiles", min_pages=3)
    (token, article, removed), = again.apply(Page("http://gazette.test/9", page(9, CHROME)), 9)
    assert removed == 2 and "Story 9 sentence 0" in article.text  # learned by the crawl before


def test_profiles_are_learned_again_from_the_archived_texts_and_their_metadata(tmp_path):
    """What a rebuild does: each archived text with the blocks its profile removed (the metadata
    record's ``site_profile`` and ``boilerplate_blocks``) counts as the page the profile saw."""
    from archive.extract import Article
    from archive.siteprofile import SiteProfiles
    from archive.warc.records import parse_metadata, warc_fields

    live = SiteProfiles(tmp_path / "live", window=12, min_pages=3)
    stored = []
    pages = [Article(f"http://gazette.test/{n}", page(n, CHROME)) for n in range(20)]
    pages += [Article("http://other.test/1", page(1, CHROME)), Article("http://gazette.test/3", page(3, CHROME))]
    for article in pages:
        stored += live.apply(article)
    stored += live.flush()
    live.save()
    assert sum(1 for _t, _a, removed in stored if removed) > 10  # the gazette's chrome was removed
    # the texts as archived, the metadata as read back from its record
    archived = [(parse_metadata("application/warc-fields",
                                warc_fields({k: v for k, v in a.as_dict().items() if k != "text"})), a.text)
                for _t, a, _r in stored]
    assert all(CHROME[0] not in text for fields, text in archived if fields.get("boilerplate_blocks"))
    rebuilt = SiteProfiles(None, window=12, min_pages=3)
    (tmp_path / "live" / "gone_test.json").write_text("{}")  # a profile no text stands for
    assert all(rebuilt.observe_archived(fields, text) for fields, text in archived)
    assert rebuilt.replace_saved(tmp_path / "live") == 2
    assert sorted(p.name for p in (tmp_path / "live").iterdir()) == ["gazette.test.json", "other.test.json"]
    for site in ("gazette.test", "other.test"):
        assert rebuilt.profiles[site].as_dict() == live.profile(site).as_dict()
    # a text no profile saw (profiles off) teaches none
    assert not rebuilt.observe_archived({"url": "http://gazette.test/x"}, page(99, CHROME))
