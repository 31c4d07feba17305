"""Text units of story tracking in every script: sentences, numbers, dates, names, page furniture."""

from __future__ import annotations

import pytest

from archive.stories.anchors import conflicting_names
from archive.stories.fingerprint import days_of, embedding_text, fingerprint, months_of, names_of, numbers_of
from archive.stories.junk import Junk, junk_kind, wall_kind
from archive.stories.text import fold, split_sentences


@pytest.mark.parametrize("language,text,count", [
    ("ru", "Первое предложение. Второе предложение. Третье предложение.", 3),
    ("zh", "以色列国防部长抵达拉巴特。他签署了一份谅解备忘录！这是第一次吗？", 3),
    ("ja", "国防相がラバトに到着した。覚書に署名した。", 2),
    ("ar", "وصل وزير الدفاع إلى الرباط. هل هذه أول زيارة؟ نعم، إنها الأولى.", 3),
    ("he", "שר הביטחון הגיע לרבאט. הוא חתם על מזכר הבנות.", 2),
    ("el", "Ο υπουργός έφτασε στο Ραμπάτ. Είναι η πρώτη επίσκεψη; Ναι.", 3),
    ("hi", "रक्षा मंत्री रबात पहुंचे। उन्होंने समझौते पर हस्ताक्षर किए।", 2),
    ("th", "รัฐมนตรีกลาโหมเดินทางถึงราบัต เขาลงนามในบันทึกความเข้าใจ", 2),
    ("de", "Am Mittwoch, 24. November, kam Gantz nach Rabat. Er blieb zwei Tage.", 2),
    ("en", "Gen. Smith met Mr. J. Doe in Washington, D.C. on Monday. They talked.", 2),
])
def test_sentences_end_where_each_script_ends_them(language, text, count):
    assert len(split_sentences(text, language)) == count


def test_markup_left_in_a_text_ends_its_sentence():
    """A page's parts joined by a tool with a marker ("<s>") or a block's tag left in escaped
    text end a sentence as the line break they stood for; inline markup does not."""
    text = ("Viele werden ihren Urlaub nicht wie üblich verbringen. <s> Die Corona-Pandemie wirkt sich"
            " stark aus.<br/>Da Grenzen geschlossen sind, bleiben viele <b>zu Hause</b> am See.")
    assert split_sentences(text, "de") == [
        "Viele werden ihren Urlaub nicht wie üblich verbringen.", "Die Corona-Pandemie wirkt sich stark aus.",
        "Da Grenzen geschlossen sind, bleiben viele <b>zu Hause</b> am See."]


def test_han_characters_are_tokens_so_chinese_sentences_have_words():
    assert fold("国防部长抵达拉巴特") == "国 防 部 长 抵 达 拉 巴 特"
    assert len(fingerprint("以色列国防部长抵达拉巴特。他签署了一份谅解备忘录。", language="zh").sentences) == 2


def test_numbers_read_the_same_in_every_notation():
    assert numbers_of("14 billion") == numbers_of("14.000 millones") == numbers_of("140亿") == {"14"}
    assert numbers_of("14,2 por ciento") == numbers_of("14.2 percent")
    assert numbers_of("١٤٠٠ شخص") == numbers_of("1,400 people")
    assert numbers_of("in 2021, 35 people") == {"2021", "35"}


def test_a_figure_right_after_a_comma_that_follows_no_digit_is_read():
    """A comma after a word is no decimal one, whatever follows it: Chinese puts its figures
    straight after its comma, full-width ("，", a comma after NFKC, which a number in myriads
    asks for) or not, and the figure was lost: "25 years, $350 million" / "35 years" gave the
    same figures."""
    assert numbers_of("协议，25年内总价值3.5亿美元。") == {"25", "35"}
    assert numbers_of("协议,25年内总价值3.5亿美元。") == {"25", "35"}
    assert numbers_of("据报道，25人死亡，损失3亿元") == {"25", "3"}
    assert numbers_of("据报道,25人死亡") == {"25"}
    assert numbers_of("总价值,3.5亿美元") == {"35"}
    assert numbers_of("He said,25 people died") == {"25"}
    # between digits a comma still groups them, or is a decimal one
    assert numbers_of("1，000万") == {"1"}
    assert numbers_of("1,109 people") == {"1109"}
    assert numbers_of("14,2 por ciento") == {"142"}


def test_a_small_number_standing_alone_is_not_its_significant_digits():
    """Sixty is not six, nor forty four: two templated briefs ("X, 49, ran the bank for 6 years"
    / "Y, 60, ran the Red Crescent for 6 years") give different figures; scaled by a word in
    any language, written with separators or in myriads, a number still reads by its digits."""
    assert numbers_of("Keïta, 49, previously ran the bank for 6 years.") == {"49", "6"}
    assert numbers_of("وكان تشييخ، البالغ من العمر 60 عاما، يدير الهلال الأحمر لمدة 6 سنوات.") == {"60", "6"}
    assert numbers_of("40 years") != numbers_of("4 days")
    assert numbers_of("40 percent") == numbers_of("Près de 40 %") == numbers_of("४० प्रतिशत") == {"40"}
    assert (numbers_of("$60m") == numbers_of("$60 million") == numbers_of("60 млн долларов")
            == numbers_of("6000万美元") == numbers_of("60.000.000 de dólares") == numbers_of("60 ล้านดอลลาร์")
            == numbers_of("60 مليون دولار") == numbers_of("60 milioni di dollari") == {"6"})
    assert numbers_of("20 mil personas") == numbers_of("20,000 people") == numbers_of("20 000 personnes") == {"2"}


def test_weekdays_and_months_across_languages():
    for text in ("on Wednesday, November 24", "el miércoles 24 de noviembre", "в среду, 24 ноября",
                 "w środę 24 listopada", "11月24日星期三", "يوم الأربعاء"):
        assert days_of(text) == {2}, text
    for text in ("on Wednesday, November 24", "в среду, 24 ноября", "11月24日星期三", "Τετάρτη 24 Νοεμβρίου"):
        assert months_of(text) == {10}, text
    assert months_of("officials may march") == set() and months_of("in May") == {4}


def test_names_of_other_alphabets_neither_match_nor_refute():
    assert names_of("Министр обороны Бенни Ганц прибыл в Рабат") >= {"ганц", "рабат"}
    assert names_of("Minister Łukasz Śliwa spotkał się w Łodzi") >= {"łukasz", "sliwa"}
    assert not conflicting_names({"gantz", "rabat"}, {"ганц", "рабат"})
    assert conflicting_names({"gantz", "rabat"}, {"lapid", "bourita"})


@pytest.mark.parametrize("sentence,kind", [
    ("Wir verwenden auf unserer Webseite Cookies und pseudonyme Analysetechniken.", Junk.CONSENT),
    ("We use cookies to ensure that we give you the best experience on our website.", Junk.CONSENT),
    ("Registrieren Sie sich jetzt kostenlos, um fortzufahren.", Junk.PAYWALL),
    ("Inscrivez-vous maintenant gratuitement pour continuer à lire.", Junk.PAYWALL),
    ("Close Get email notifications on {{subject}} daily!", Junk.NEWSLETTER),
    ("关闭 每天收到关于 {{subject}} 的电子邮件通知！", Junk.NEWSLETTER),
    ("Dokładamy wszelkich starań, aby chronić Twoje dane osobowe.", Junk.CONSENT),
    ('If you want to connect with us, select "I AM NOT A ROBOT".', Junk.BOT_WALL),
    ('Jeśli chcesz się z nami połączyć, wybierz "Nie jestem robotem".', Junk.BOT_WALL),
    ("You have reached the limit for free access to our important and valuable work.", Junk.PAYWALL),
    ("If you are already a print subscriber and want online access, it is free.", Junk.PAYWALL),
    ("First you have to create an account and then you have to pick if you want to subscribe to digital and or print.",
     Junk.PAYWALL),
    ("关闭广告拦截器，继续支持伟大的新闻业。", Junk.ADBLOCK),
    ("Поддержите местную журналистику.", Junk.DONATION),
    ("الحوار المتمدن التبرع للموقع - ادعمونا", Junk.DONATION),
    ("Sign up to our newsletter to get other stories like this delivered straight to your inbox", Junk.NEWSLETTER),
    ("Follow us on Telegram for the latest updates.", Junk.SOCIAL),
    ("Подписывайтесь на наш канал в Telegram.", Junk.SOCIAL),
    ("© 2024 The Associated Press.", Junk.COPYRIGHT),
    ("Copyright © 2019-2024 Herald Media Group, LLC", Junk.COPYRIGHT),
    ("Copyright 2025 朝陽新報.", Junk.COPYRIGHT),
    ("Download the free BBC News app.", Junk.SOCIAL),
    ("Read more stories like this in the Daily Planet app.", Junk.SOCIAL),
    ("Téléchargez notre application pour suivre l'actualité.", Junk.SOCIAL),
    ("欢迎关注东方日报，获取最新资讯。", Junk.SOCIAL),
    ("更多新闻请下载新华社客户端。", Junk.SOCIAL),
    ("最新ニュースはアプリでもお読みいただけます。", Junk.SOCIAL),
    ("한빛일보 앱에서 더 많은 뉴스를 확인하세요.", Junk.SOCIAL),
])
def test_page_furniture_is_recognised(sentence, kind):
    assert junk_kind(sentence) == kind


@pytest.mark.parametrize("sentence", [
    "The regulator fined the company for breaking data protection rules on cookies it set without consent in 2019.",
    "Der Bäcker verkauft seit Montag Kekse mit Schokolade.",
    "The robot vacuum maker said sales rose 14 percent.",
    "Андрей Жих набрал 300 000 подписчиков за год.",
    "Copyright 2019 lawsuits against the streaming company multiplied after the ruling in Manhattan.",
    "Users can download the TikTok app again, the court ruled.",
    "Stories posted on the app disappear after 24 hours.",
    "A flaw in the app let hackers read messages, the company said.",
    "The newspaper said its digital subscribers outnumbered print subscribers for the first time.",
])
def test_news_about_the_same_words_is_not_furniture(sentence):
    assert junk_kind(sentence) is None


def test_the_prefilter_never_hides_furniture():
    """A sentence skips a pattern only when it holds none of the strings every match needs:
    the answer is the patterns' own, in any case and with letters that fold to several."""
    from archive.stories import junk

    def searched(sentence):
        return next((kind for kind, pattern in junk._PATTERNS.items() if pattern.search(sentence)), None)

    furniture = [
        "We use cookies to ensure that we give you the best experience on our website.",
        "By continuing to browse the site you agree to our use of cookies.",
        "Bitte STIMMEN SIE der Verarbeitung Ihrer Daten ZU.", "Datenschutzerklärung und Impressum",
        "SUBSCRIBE NOW TO CONTINUE READING", "Support independent journalism today.",
        "Reader-supported news since 1998.", "© 2024 Herald Media. ALL RIGHTS RESERVED.",
        "版权所有 不得转载", "جميع الحقوق محفوظة", "สงวนลิขสิทธิ์", "Get {{ topic }} alerts.",
        "Weiterlesen mit Plus: Bereits Abonnent?", "ACCESS TO THIS PAGE HAS BEEN DENIED.",
        "Folgen Sie uns auf Instagram", "Sign up for our free daily newsletter",
    ]
    news = ["The court found the building was erected without permission.",
            "Straße gesperrt: İstanbul's mayor said the bridge would reopen on Monday.",
            "The store processed 14,000 orders using a new system."]
    for sentence in furniture + news:
        for variant in (sentence, sentence.upper(), sentence.lower(), sentence.swapcase(), "ẞ " + sentence):
            assert junk_kind(variant) == searched(variant), variant
    assert all(junk_kind(s) is not None for s in furniture)
    assert all(junk._PREFILTERS[kind] for kind in Junk), "every kind of furniture is prefiltered"


@pytest.mark.parametrize("page, language", [
    ("Mayor opens the new river bridge\nPlease log in!\n\nWhy should I register?\n\nOnce you are logged in, you can "
     "read every story in our digital archive.\n\nPlease check the required fields marked in red.\n\nYour e-mail "
     "Next\n\nRegistered users can search stories back to 2008.", "en"),
    ("Bürgermeister eröffnet die neue Brücke\nBitte registrieren!\n\nWarum sollte ich mich registrieren?\n\n"
     "Nachdem Sie sich angemeldet haben, können Sie alle Artikel unseres Archivs lesen.\n\nBitte überprüfen Sie "
     "die rot markierten Pflichtfelder.\n\nIhre E-Mail Weiter\n\nAngemeldete Nutzer können Geschichten bis 2008 "
     "recherchieren.", "de"),
    ("Le maire inaugure le nouveau pont\nVeuillez vous connecter !\n\nPourquoi devrais-je m'inscrire ?\n\nUne fois "
     "connecté, vous pouvez lire le contenu de nos archives numériques.\n\nVeuillez vérifier les champs "
     "obligatoires marqués en rouge.\n\nVotre e-mail Suivant\n\nLes utilisateurs enregistrés peuvent rechercher "
     "des histoires jusqu'en 2008.", "fr"),
], ids=["en", "de", "fr"])
def test_a_registration_wall_is_a_wall(page, language):
    """A page asking the reader to register before reading on, its form and its pitch, is a
    capture of a wall, in any of the languages it is met in; an article that ends with a
    comment form's "required fields" is still an article."""
    assert wall_kind(page, language) == Junk.PAYWALL
    article = ("Mayor opens the new river bridge\nThe mayor opened the new bridge over the river on Saturday, "
               "two years after the old one was closed because of cracks found in its piers. About 3,000 people "
               "crossed it on foot in the first hour, and the council said buses would use it from Monday. The "
               "bridge cost 14 million euros, a third of it paid by the regional government.\n\n"
               "Leave a comment. Please fill in the required fields.")
    assert wall_kind(article, "en") is None


FOOT = ("Sign up for the Valley Courier newsletter to get the day's top stories in your inbox.\n\n"
        "Support independent journalism: donate today.\n\nCopyright 2025 Valley Courier. All rights reserved.")


@pytest.mark.parametrize("page, wall", [
    # a copy trimmed to its lede, the outlet's prompts at its foot: news, however short
    ("Walt Disney Co. executive Kevin Mayer said a coding glitch led to the problems at the launch of Disney+.\n\n"
     + FOOT, None),
    # a lede that lost its full stop is no headline: headlines are short
    ("Chelsea have this morning paid the record fee to the Spanish league to secure the signing of Athletic "
     "Bilbao keeper Kepa Arrizabalaga from the Basque club\n\n" + FOOT, None),
    # a headline, then nothing but the prompts
    ("Disney+ launch hit by glitch\n\n" + FOOT, Junk.NEWSLETTER),
    # a teaser, then the paywall: a wall, wherever its notice stands
    ("Disney+ launch hit by glitch\n\nWalt Disney Co. said a glitch hit the launch.\n\nSubscribe now to continue "
     "reading. Already a subscriber? Sign in with your existing account.", Junk.PAYWALL),
], ids=["lede-and-foot", "lede-without-full-stop", "headline-and-foot", "teaser-and-paywall"])
def test_a_brief_with_its_outlets_prompts_below_is_no_wall(page, wall):
    """A story trimmed to one short paragraph keeps the newsletter, donation and copyright lines
    its outlet prints below every story: they follow news, so the page is a brief; a page whose
    only line before them is a headline, or whose teaser runs into a paywall, is a wall."""
    assert wall_kind(page, "en") == wall


def test_a_page_that_is_only_a_wall_is_told_from_an_article_behind_one():
    bot = ("Two hurt when snowmobile crashed into tree\nWe are sorry, but we recorded a huge amount of "
           "connections from the IP address you are connecting from.\n\nIf you want to connect with us, "
           'select "I AM NOT A ROBOT".\n\nYour IP address: 207.241.233.113')
    assert wall_kind(bot) == Junk.BOT_WALL
    article = ("Grüne fordern mehr Tempo bei der Elektrifizierung\nWir verwenden auf unserer Webseite Cookies "
               "und pseudonyme Analysetechniken. Die Grünen haben die Bundesregierung aufgefordert, bei der "
               "Elektrifizierung des Schienennetzes deutlich zuzulegen. Derzeit seien nur 61 Prozent der Strecken "
               "elektrifiziert, sagte der Fraktionsvize am Montag in Berlin. Bis 2030 sollten es nach dem Willen "
               "der Regierung 75 Prozent sein, doch das Tempo reiche dafür bei weitem nicht aus.")
    assert wall_kind(article, "de") is None
    kept = [s.text for s in fingerprint(article, language="de").sentences]
    assert kept and not any("Cookies" in s for s in kept)


def test_a_newsletter_widget_run_into_the_lede_is_cut_out():
    text = ("Coventry residents urged to stay at home Sign up to FREE email alerts from CoventryLive - daily "
            "Subscribe Thank you for subscribing See our privacy notice Invalid Email Coventry residents are "
            "being urged to stay at home and save lives this Easter.")
    kept = " ".join(s.text for s in fingerprint(text).sentences)
    assert "Subscribe" not in kept and "save lives this Easter" in kept


def test_numbers_in_myriads_read_as_the_number_they_write():
    assert (numbers_of("$350 million") == numbers_of("3億5000万ドル") == numbers_of("3억5000만 달러")
            == numbers_of("3.5亿美元") == numbers_of("350 млн долларов") == {"35"})
    assert numbers_of("4500万美元") == numbers_of("$45 million") == {"45"}
    assert numbers_of("١٤٫٢%") == numbers_of("14.2 percent") and numbers_of("٢٬٤٠٠") == numbers_of("2,400")


def test_korean_and_thai_weekdays_and_months():
    assert days_of("토요일 팔누를 휩쓴 홍수") == days_of("เมื่อวันเสาร์") == days_of("on Saturday") == {5}
    assert months_of("3월 5일") == months_of("5 มีนาคม 2025") == months_of("on March 5") == {2}


def test_a_name_that_starts_a_sentence_can_still_be_shared():
    english = 'Rakhimov told reporters in Samarkand: "Every delay costs us money."'
    french = "« Chaque retard nous coûte de l'argent », a déclaré Rakhimov."
    assert names_of(french) == {"rakhimov"} and "every" not in names_of(english)
    assert not conflicting_names(names_of(english), names_of(french),
                               names_of(english, with_initials=True), names_of(french, with_initials=True))
    other = "« Chaque retard nous coûte de l'argent », a déclaré Tursunov."
    assert conflicting_names(names_of(english), names_of(other),
                           names_of(english, with_initials=True), names_of(other, with_initials=True))


def test_a_name_after_an_arabic_article_or_patronymic_is_a_name():
    assert names_of("The case was brought by lawyers led by Abdul-Qadir al-Amrani.") == {"abdul", "qadir", "amrani"}
    assert names_of("It was a message to Bashar al-Assad, officials said.") == {"bashar", "assad"}
    assert {"sisi", "otaibi", "laden"} <= names_of("Abdel Fattah el-Sisi met Khaled al-Otaibi after bin-Laden died.")
    # a respelling of the same man is no conflict; another man is one
    assert not conflicting_names(names_of("led by Abdelkader Lamrani."), names_of("led by Abdul-Qadir al-Amrani."))
    assert conflicting_names(names_of("led by Abdelkader Lamrani."), names_of("led by Khaled al-Otaibi."))
    # lower-case words with a hyphen are not names
    assert names_of("An as-yet unnamed official said an at-risk group was moved.") == set()


def test_datelines_are_not_embedded():
    assert embedding_text("RABAT, Morocco (AP) — Israel's defence minister arrived.") == "Israel's defence minister arrived."
    assert embedding_text("SAMARKAND (Reuters) - An accord was signed.") == "An accord was signed."
    assert embedding_text("NATO - led forces withdrew.") == "NATO - led forces withdrew."


def test_thai_clauses_and_names_stay_in_their_sentence():
    text = ("ประชาชนหลายพันคนเดินขบวนในชิตาโกงเมื่อวันจันทร์ เพื่อประท้วงแผนของรัฐบาลเรื่องการบรรเทาภัยแล้ง "
            "ตำรวจระบุว่ามีผู้ถูกควบคุมตัว 143 คน "
            "และเจ้าหน้าที่ตำรวจได้รับบาดเจ็บ 22 นาย")
    assert len(split_sentences(text, "th")) == 2
    assert split_sentences("คาจา ตามสาอาร เดินทางถึงริกาเมื่อวันพุธ", "th") == ["คาจา ตามสาอาร เดินทางถึงริกาเมื่อวันพุธ"]


@pytest.mark.parametrize("line", [
    "Copyright 2025 The Monitor. All rights reserved.", "版权所有 © 2025 东方日报，未经授权不得转载。",
    "جميع الحقوق محفوظة © 2025 اليوم العربي.", "© 2025 Вести дня. Все права защищены.",
    "Toute reproduction de ce contenu est interdite sans autorisation.",
])
def test_copyright_notices_are_furniture_but_not_walls(line):
    assert junk_kind(line) == Junk.COPYRIGHT
    brief = "Floods kill 22\n\nAt least 22 people were killed on Saturday.\n\n" + line
    assert wall_kind(brief) is None
    assert junk_kind("The court found the building was erected without permission.") is None


def test_a_thai_subject_written_apart_from_its_verb_stays_in_its_sentence():
    """Thai writes a space after a long subject (a name and a title): no mark tells it from the
    space that ends a sentence, which a trained segmenter (PyThaiNLP's CRF) tells apart."""
    text = ("เฟเลติ คาอูฟูสิ รัฐมนตรีว่าการกระทรวงการคลังฟิจิ เดินทางถึงลาบาสาเมื่อวันพุธ เพื่อเยือนเป็นเวลา 3 วัน "
            "เขาหารือกับโลสานา คาริคาอู หัวหน้าหน่วยงานป้องกันภัยฝ่ายพลเรือน เกี่ยวกับการท่องเที่ยวและแผนการจัดตั้งคณะทำงานร่วม")
    sentences = split_sentences(text, "th")
    assert len(sentences) == 2
    assert sentences[0].startswith("เฟเลติ คาอูฟูสิ รัฐมนตรีว่าการกระทรวงการคลังฟิจิ เดินทางถึง")
    assert sentences[1].startswith("เขาหารือกับโลสานา")


@pytest.mark.parametrize("sentence", [
    "READ MORE: More downtown Vancouver store owners say violent shoplifting is getting worse",
    "Read also: A tragic fire in Piła - one person is dead", "RELATED: Micah Downey has died suddenly",
    "Also Read - 'Only Person in Congress Who Could Walk Into my House Anytime,' Says Rahul Gandhi",
    "Read also Italy’s Piedmont region asks Russia for assistance.", "Lesen Sie auch",
    "Czytaj także: Kiedy dzieci wrócą do szkół?", "Mehr zum Thema - Neue Anklage gegen Ex-Nissan-Chef Ghosn in Japan",
    "Читайте также: В Москве открылся новый мост.", "阅读更多：当地新闻通讯", "Lire aussi : le bilan des inondations s'alourdit",
])
def test_a_pointer_to_another_article_is_furniture(sentence):
    assert junk_kind(sentence) == Junk.RELATED


@pytest.mark.parametrize("sentence", [
    "Related to this, the minister said the accord would be signed on Monday.",
    "Read more carefully, the law says something else, the lawyer argued.",
    "See also the report published by the ministry on Monday, officials said.",
    "Related stories of abuse emerged from three other schools, police said.",
])
def test_news_opening_with_the_same_words_is_no_pointer(sentence):
    assert junk_kind(sentence) is None


def test_a_paragraph_between_two_pointers_is_the_storys_own():
    from archive.stories.junk import junk_flags

    sentences = ["READ MORE: Floods cut off 40 villages in Sunamganj",
                 "Rescue teams reached the last of them by boat on Sunday, officials said.",
                 "RELATED: What the new water deal means for farmers"]
    assert junk_flags(sentences) == [True, False, True]
    brief = "Floods cut off 40 villages in Sunamganj on Sunday, officials said.\n\n" + "\n\n".join(sentences)
    assert wall_kind(brief, "en") is None
