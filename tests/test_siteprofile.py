"""Site profiles: blocks repeated across a site's pages are removed, story text is kept."""

from __future__ import annotations

from archive.siteprofile import SiteProfile

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
