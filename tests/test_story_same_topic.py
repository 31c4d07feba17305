"""Articles on one topic, or written from one template, are not one story: only a story's own
copies, rewrites and translations are linked."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder

# Robot-written share-price pages: one template, the company's name and figures filled in.
TEMPLATE = """Is {name} ({ticker}) A Volatile Stock To Own?
If you own shares in {name} ({ticker}) then it pays to think about how it adds to the volatility of your portfolio.
In finance, beta is a measure of volatility.
Modern finance theory treats volatility as a measure of risk, and there are two main types of price volatility.
The first type is company specific volatility, which diversification across uncorrelated stocks reduces.
The second type is the broader market volatility, which you cannot diversify away, since it comes from macroeconomic factors that move the whole market.
{short} has a five-year beta of {beta}, so its share price has been {how} than the market as a whole.
{short} is a {size} company with a market capitalisation of {cap}, which is {cap_note}.
We aim to bring you long-term focused research analysis driven by fundamental data.
Note that our analysis may not factor in the latest price-sensitive company announcements or qualitative material."""

MINING = TEMPLATE.format(name="Marlow Kestrel Mining Corp.", ticker="TSXV:MKM", short="Marlow Kestrel", beta="1.84",
                         how="more volatile", size="small", cap="CA$38 million", cap_note="typical of explorers")
INDUSTRIAL = TEMPLATE.format(name="Baxter Voss Industries, Inc.", ticker="NYSE:BVI", short="Baxter Voss", beta="0.62",
                             how="steadier", size="mid-sized", cap="US$2.1 billion", cap_note="large for its sector")
LOGISTICS = TEMPLATE.format(name="Tindall Harrow Logistics plc", ticker="LSE:THL", short="Tindall Harrow",
                            beta="1.05", how="about as volatile", size="large", cap="£4.7 billion",
                            cap_note="among the largest in its index")


def add(tracker: StoryTracker, doc_id: str, text: str, outlet: str, language: str = "en") -> None:
    tracker.add(Document(doc_id, f"https://{outlet}/{doc_id}", text, published="2025-05-02T08:00:00+00:00",
                         outlet=outlet, language=language))


def test_pages_from_one_template_about_different_companies_are_not_one_story():
    tracker = StoryTracker()
    add(tracker, "mining", MINING, "markets-a.example")
    add(tracker, "industrial", INDUSTRIAL, "markets-b.example")
    add(tracker, "logistics", LOGISTICS, "markets-c.example")
    # the same page reprinted by another site is still a copy
    add(tracker, "mining-copy", MINING, "markets-d.example")
    assert {(link.a, link.b) for link in tracker.links()} == {("mining", "mining-copy")}
    [(_, _, data)] = [pair for pair in tracker.store.pairs("mining") if "industrial" in pair[:2]]
    assert data["verdict"] == "different"
    # three companies paste the same boilerplate: it is background, not any company's story
    boilerplate = [s.key for s in tracker.store.sentences("mining") if s.text.startswith("In finance, beta")]
    assert boilerplate and set(boilerplate) <= tracker.store.background()
    tracker.close()


# Two articles on one topic in one language: a long review of the year's cannabis laws, and a
# short piece on one state's new law, which says three of the review's points again.
REVIEW = """Cannabis in 2024: a year of new laws, court fights and falling prices
The cannabis industry in the United States went through a year of sweeping change in 2024, with new state laws, court fights and a steep fall in wholesale prices.
In Florida, a proposal to legalise adult use won 56 percent of the vote but fell short of the 60 percent the state constitution requires.
North Dakota and South Dakota voters also rejected legalisation measures in November.
At the federal level, the Drug Enforcement Administration opened hearings on moving cannabis to a less restrictive schedule.
The hearings were postponed in January after disputes over which witnesses could testify.
Ohio became the twenty-fourth state to allow adults to buy cannabis, after voters approved a ballot measure the previous November.
Sales in Ohio began in August at 98 dispensaries that already served medical patients.
Banks still refuse most cannabis businesses, because the drug remains illegal under federal law.
A bill to protect banks that serve the industry passed a Senate committee but never reached a vote.
Wholesale prices fell for a third straight year, dropping below $1,000 a pound in several states.
Growers in Oregon and Washington said prices no longer covered their costs.
Michigan recorded more than $3 billion in sales, the second-highest total of any state.
California's legal market shrank again, as licensed shops competed with unlicensed sellers.
State regulators in California closed more than 300 illegal storefronts during the year.
Hemp-derived THC products spread to convenience stores in states without legal cannabis.
Several states moved to ban or tax those products, saying they were sold without age checks.
Texas lawmakers debated a ban on hemp-derived THC but did not pass it before the session ended.
Employers continued to drop cannabis from pre-employment drug tests in states where it is legal.
New York's regulators cleared a backlog of licence applications after a court ordered them to move faster.
New Jersey opened its first cannabis lounges, where customers may consume products on site.
Industry groups expect Pennsylvania and Virginia to consider legal sales in 2025.
Analysts said consolidation would continue as smaller growers sold out to larger companies.
Medical cannabis programmes lost patients in states that opened adult-use sales."""

OHIO = """Ohio cannabis shops draw long lines on first day of legal sales
Ohio residents lined up outside dispensaries on Tuesday as sales of cannabis to adults began in the state.
Voters in Ohio approved a ballot measure last November that made the state the twenty-fourth to legalise adult use.
Adult sales started at 98 dispensaries across Ohio that until now served only medical patients.
Store managers said some customers had waited more than three hours to reach the counter.
The state's cannabis regulator said it would publish the first sales figures next month."""

# The Ohio piece written again by another outlet in its own words: the same story.
OHIO_REWRITE = """Crowds queue at Ohio dispensaries as legal cannabis sales get under way
Long lines formed outside Ohio dispensaries on Tuesday, the first day adults in the state could legally buy cannabis.
Ohio became the twenty-fourth state to legalise cannabis for adults when voters passed a ballot measure last November.
Sales to adults began at 98 dispensaries in Ohio that had previously only served medical patients.
Some shoppers waited over three hours before reaching the counter, store managers said.
Ohio's cannabis regulator said the first sales figures would be released next month."""


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


def test_a_short_piece_saying_again_a_few_points_of_a_long_review_is_not_its_story(encoder):
    tracker = StoryTracker(encoder=encoder)
    add(tracker, "review", REVIEW, "industry-daily.example")
    add(tracker, "ohio", OHIO, "ohio-courier.example")
    add(tracker, "ohio-rewrite", OHIO_REWRITE, "lakeshore-news.example")
    links = {(link.a, link.b): link for link in tracker.links()}
    assert set(links) == {("ohio", "ohio-rewrite")}
    assert links[("ohio", "ohio-rewrite")].relation == "rewrite"
    # the short piece did say points of the review again: they are aligned, yet not a story
    [(_, _, data)] = [pair for pair in tracker.store.pairs("review") if "ohio" in pair[:2]]
    assert sum(1 for p in data["pairs"] if p[3] == "semantic") >= 3
    tracker.close()
