"""Translated copies in non-Latin scripts for the generated corpus (helper of ``_storycorpus.py``).

A story's facts (``_storycorpus.Event``) written as a Chinese, Japanese, Korean, Russian,
Arabic or Thai newspaper writes them: the same slots as the English templates (names
transliterated, numbers in the language's notation: "$350 million" is "3.5亿美元",
"3億5000万ドル", "3억5000만 달러", "350 млн долларов"; weekdays in the language), one phrasing
per fact. The languages are those the default encoder (multilingual USE) was trained on that
are not written in Latin letters; Greek, Hebrew and Hindi are not among them.

Three forms (``SCRIPT_FORMS``): a translation (lede, second fact, quote, third fact), a
translated brief (lede and second fact) and a trimmed translation (lede, second fact, quote).
``script_doc`` writes one; negatives in these scripts are written with ``form="negative"``.
"""

from __future__ import annotations

from _storylexicon import (COUNTRIES, CONJ, ORGS, QUOTE_TAILS, QUOTES, ROLES, SCRIPT_LANGS, SUBJECTS,
                           WEEKDAYS)
from _transliterate import transliterate

SCRIPT_FORMS = {"translation": ("lead", "d1", "quote", "d2"), "translated-brief": ("lead", "d1"),
                "translated-trim": ("lead", "d1", "quote"), "negative": ("lead", "d1", "quote", "d2")}

# (host, language, local city, display name, Eastern Arabic digits)
SCRIPT_OUTLETS = [
    ("dongfang-ribao.example", "zh", "上海", "东方日报", False),
    ("chouyou-shinpo.example", "ja", "大阪", "朝陽新報", False),
    ("hanbit-ilbo.example", "ko", "부산", "한빛일보", False),
    ("vesti-dnya.example", "ru", "Казань", "Вести дня", False),
    ("al-yawm-al-arabi.example", "ar", "عمان", "اليوم العربي", False),
    ("al-masdar.example", "ar", "القاهرة", "المصدر", True),
    ("khao-wan-ni.example", "th", "เชียงใหม่", "ข่าววันนี้", False),
]
SCRIPT_FOOTERS = {
    "zh": ["版权所有 © 2025 {name}，未经授权不得转载。", "欢迎关注{name}，获取最新资讯。"],
    "ja": ["Copyright 2025 {name}. 記事の無断転載を禁じます。", "{name}の最新ニュースはアプリでもお読みいただけます。"],
    "ko": ["저작권자 © 2025 {name} 무단전재 및 재배포 금지.", "{name} 앱에서 더 많은 뉴스를 확인하세요."],
    "ru": ["© 2025 {name}. Все права защищены.", "Полное или частичное копирование материалов запрещено."],
    "ar": ["جميع الحقوق محفوظة © 2025 {name}.", "يمنع نسخ هذا المحتوى أو إعادة نشره دون إذن مسبق."],
    "th": ["สงวนลิขสิทธิ์ 2025 {name}", "ห้ามคัดลอกหรือเผยแพร่เนื้อหาโดยไม่ได้รับอนุญาต"],
}

NDAYS = {"zh": {2: "2", 3: "3", 4: "4"}, "ja": {2: "2", 3: "3", 4: "4"}, "ko": {2: "2", 3: "3", 4: "4"},
         "ru": {2: "двухдневным", 3: "трёхдневным", 4: "четырёхдневным"},
         "ar": {2: "يومين", 3: "ثلاثة أيام", 4: "أربعة أيام"}, "th": {2: "2", 3: "3", 4: "4"}}

# Per event type and fact, one template per language (zh, ja, ko, ru, ar, th).
EVENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "visit": {
        "lead": ("{country}{actor_role}{actor}{day}抵达{place}，开始为期{ndays}天的访问，这是该国高级官员{n2}年来首次到访。",
                 "{country}の{actor_role}、{actor}氏は{day}、同国高官として{n2}年ぶりに{place}を訪れ、{ndays}日間の日程で訪問を開始した。",
                 "{country}의 {actor_role} {actor}이 {day} {ndays}일 일정으로 {place}에 도착했으며, 이는 {n2}년 만에 이뤄진 자국 고위 인사의 방문이다.",
                 "{Actor_role} {country_g} {actor} {day} прибыл в {place} с {ndays} визитом, первым за {n2} лет визитом высокопоставленного чиновника его страны.",
                 "وصل {actor}، {actor_role} في {country}، إلى {place} {day} في زيارة تستغرق {ndays}، هي الأولى لمسؤول رفيع من بلاده منذ {n2} عاما.",
                 "{actor} {actor_role}{country} เดินทางถึง{place}{day} เพื่อเยือนเป็นเวลา {ndays} วัน นับเป็นการเยือนครั้งแรกของเจ้าหน้าที่ระดับสูงจากประเทศของเขาในรอบ {n2} ปี"),
        "d1": ("他与{cp_role}{cp}就{subject}以及成立联合工作组的计划举行了会谈。",
               "同氏は{cp_role}の{cp}氏と、{subject}や合同作業部会の設置計画について会談した。",
               "그는 {cp} {cp_role}과 {subject} 문제와 공동 실무그룹 구성 계획을 논의했다.",
               "{Cp_role} {cp} и гость обсудили вопросы {subject} и создание совместной рабочей группы.",
               "وأجرى محادثات مع {cp}، {cp_role}، حول {subject} وخطط تشكيل فريق عمل مشترك.",
               "เขาหารือกับ{cp} {cp_role} เกี่ยวกับ{subject}และแผนการจัดตั้งคณะทำงานร่วม"),
        "d2": ("{actor_s}还将在{place2}的一座纪念碑前献花圈，并在访问的最后一天会见企业界人士。",
               "{actor_s}氏は滞在最終日に{place2}の記念碑に献花し、経済界の代表と会談する予定だ。",
               "{actor_s}은 방문 마지막 날 {place2}의 기념비에 헌화하고 기업인들을 만날 예정이다.",
               "{actor_s} также возложит венок к мемориалу в {place2} и в последний день визита встретится с представителями деловых кругов.",
               "ومن المقرر أن يضع {actor_s} إكليلا من الزهور على نصب تذكاري في {place2} وأن يلتقي رجال أعمال في اليوم الأخير من الزيارة.",
               "{actor_s}มีกำหนดวางพวงมาลาที่อนุสรณ์สถานใน{place2} และพบปะผู้นำภาคธุรกิจในวันสุดท้ายของการเยือน"),
    },
    "agreement": {
        "lead": ("{country}和{country2}{day}在{place}签署了一项关于{subject}的协议，{n2}年内总价值{amount}。",
                 "{country}と{country2}は{day}、{place}で{n2}年間で総額{amount}となる{subject}に関する協定に署名した。",
                 "{country}와 {country2}는 {day} {place}에서 {n2}년간 {amount} 규모의 {subject} 협정에 서명했다.",
                 "{country} и {country2} {day} подписали в {place} соглашение в сфере {subject} стоимостью {amount} на {n2} лет.",
                 "وقعت {country} و{country2} {day} في {place} اتفاقا بشأن {subject} بقيمة {amount} على مدى {n2} عاما.",
                 "{country}และ{country2}ลงนามข้อตกลงด้าน{subject}ที่{place}{day} มูลค่า {amount} ตลอดระยะเวลา {n2} ปี"),
        "d1": ("经过数月谈判，{actor_role}{actor}与{cp_role}{cp}签署了这份协议。",
               "協定には、数カ月に及ぶ交渉を経て{actor_role}の{actor}氏と{cp_role}の{cp}氏が署名した。",
               "협정에는 수개월의 협상 끝에 {actor} {actor_role}과 {cp} {cp_role}이 서명했다.",
               "Документ после нескольких месяцев переговоров подписали {actor_role} {actor} и {cp_role} {cp}.",
               "ووقع الاتفاق {actor}، {actor_role}، و{cp}، {cp_role}، بعد أشهر من المفاوضات.",
               "ข้อตกลงนี้ลงนามโดย{actor} {actor_role} และ{cp} {cp_role} หลังการเจรจานานหลายเดือน"),
        "d2": ("根据协议，将培训{n1}名专业人员，明年还将在{place2}开设一个联合办事处。",
               "協定に基づき、専門家{n1}人が育成され、来年には{place2}に共同事務所が開設される。",
               "협정에 따라 전문가 {n1}명이 양성되고 내년에는 {place2}에 공동 사무소가 문을 연다.",
               "Соглашение предусматривает подготовку {n1} специалистов, а в следующем году в {place2} откроется совместный офис.",
               "وبموجب الاتفاق سيتم تدريب {n1} متخصصا وافتتاح مكتب مشترك في {place2} العام المقبل.",
               "ตามข้อตกลง จะมีการฝึกอบรมผู้เชี่ยวชาญ {n1} คน และจะเปิดสำนักงานร่วมที่{place2}ในปีหน้า"),
    },
    "figures": {
        "lead": ("根据{org}{day}公布的数据，{country}去年在{subject}方面的支出增长了{pct}。",
                 "{org}が{day}発表した数字によると、{country}の昨年の{subject}への支出は{pct}増加した。",
                 "{org}가 {day} 발표한 자료에 따르면 {country}의 지난해 {subject} 지출은 {pct} 늘었다.",
                 "Расходы {country_g} в сфере {subject} в прошлом году выросли на {pct}, следует из данных, которые {day} опубликовала организация «{org}».",
                 "ارتفع الإنفاق على {subject} في {country} بنسبة {pct} العام الماضي، وفقا لأرقام نشرها {org} {day}.",
                 "ค่าใช้จ่ายด้าน{subject}ของ{country}เพิ่มขึ้น {pct} เมื่อปีที่แล้ว ตามตัวเลขที่{org}เผยแพร่{day}"),
        "d1": ("这份报告由{actor_role}{actor}在{place}发布，报告列出了{n1}个在建项目。",
               "報告書は{actor_role}の{actor}氏が{place}で発表したもので、進行中の事業{n1}件を挙げている。",
               "{actor} {actor_role}이 {place}에서 발표한 보고서에는 진행 중인 사업 {n1}건이 담겼다.",
               "В докладе, который {actor_role} {actor} представил в {place}, перечислены {n1} текущих проектов.",
               "ويحصي التقرير الذي قدمه {actor}، {actor_role}، في {place} {n1} مشروعا قيد التنفيذ.",
               "รายงานซึ่ง{actor} {actor_role} นำเสนอที่{place} ระบุว่ามีโครงการที่กำลังดำเนินการอยู่ {n1} โครงการ"),
        "d2": ("其中只有{n2}个位于农村地区，{cp_role}{cp}称这一差距令人担忧。",
               "このうち農村部の事業はわずか{n2}件で、{cp_role}の{cp}氏はこの格差を懸念すべきだと述べた。",
               "이 가운데 농촌 지역 사업은 {n2}건에 불과하며, {cp} {cp_role}은 이 격차가 우려스럽다고 말했다.",
               "Лишь {n2} из них находятся в сельских районах; {cp_role} {cp} назвал этот разрыв тревожным.",
               "ولا يقع سوى {n2} منها في المناطق الريفية، وهي فجوة وصفها {cp}، {cp_role}، بأنها مثيرة للقلق.",
               "ในจำนวนนี้มีเพียง {n2} โครงการที่อยู่ในพื้นที่ชนบท ซึ่ง{cp} {cp_role} ระบุว่าเป็นช่องว่างที่น่ากังวล"),
    },
    "protest": {
        "lead": ("数千人{day}在{place}游行，抗议政府关于{subject}的计划，这是当地自{year}年以来规模最大的示威。",
                 "{place}で{day}、{subject}をめぐる政府の計画に抗議する数千人規模のデモがあり、{year}年以来最大の規模となった。",
                 "{day} {place}에서 {subject}에 관한 정부 계획에 반대하는 수천 명이 행진했으며, 이는 {year}년 이후 최대 규모의 시위다.",
                 "Тысячи человек {day} прошли маршем по {place}, протестуя против планов правительства в сфере {subject}; это крупнейшая демонстрация там с {year} года.",
                 "تظاهر آلاف الأشخاص في {place} {day} احتجاجا على خطط الحكومة بشأن {subject}، في أكبر مظاهرة هناك منذ عام {year}.",
                 "ประชาชนหลายพันคนเดินขบวนใน{place}{day} เพื่อประท้วงแผนของรัฐบาลเรื่อง{subject} นับเป็นการชุมนุมครั้งใหญ่ที่สุดที่นั่นนับตั้งแต่ปี {year}"),
        "d1": ("警方说，议会附近发生冲突，{n1}人被拘留，{n2}名警察受伤。",
               "警察によると、議会付近で衝突が起き、{n1}人が拘束され、警察官{n2}人が負傷した。",
               "경찰은 의회 인근에서 충돌이 벌어져 {n1}명이 구금되고 경찰관 {n2}명이 다쳤다고 밝혔다.",
               "По данным полиции, в ходе столкновений у здания парламента были задержаны {n1} человек, ранены {n2} полицейских.",
               "وقالت الشرطة إنه تم احتجاز {n1} شخصا وإصابة {n2} من عناصرها في اشتباكات قرب البرلمان.",
               "ตำรวจระบุว่ามีผู้ถูกควบคุมตัว {n1} คน และเจ้าหน้าที่ตำรวจได้รับบาดเจ็บ {n2} นาย จากการปะทะใกล้รัฐสภา"),
        "d2": ("游行由{org}发起，其领导人{cp}要求与{actor_role}{actor}会面。",
               "デモを呼びかけたのは{org}で、代表の{cp}氏は{actor_role}の{actor}氏との会談を求めた。",
               "행진을 주도한 {org}의 대표 {cp}은 {actor} {actor_role}과의 면담을 요구했다.",
               "Марш организовала структура «{org}»; её лидер {cp} требует, чтобы {actor_role} {actor} принял его.",
               "ودعا إلى المسيرة {org}، وطالب رئيسه {cp} بلقاء {actor}، {actor_role}.",
               "การเดินขบวนครั้งนี้จัดโดย{org} ซึ่ง{cp} ผู้นำขององค์กรเรียกร้องให้ได้พบกับ{actor} {actor_role}"),
    },
    "ruling": {
        "lead": ("{place}一家法院{day}暂停了政府关于{subject}的一项法令，裁定政府未按法律要求征求{org}的意见。",
                 "{place}の裁判所は{day}、法律で定められた{org}への意見聴取が行われなかったとして、{subject}に関する政府の政令の効力を停止した。",
                 "{place}의 한 법원은 {day} 법이 정한 대로 {org}의 의견을 듣지 않았다며 {subject}에 관한 정부 법령의 효력을 정지했다.",
                 "Суд в {place} {day} приостановил действие правительственного указа в сфере {subject}, постановив, что с организацией «{org}» не провели консультаций, как того требует закон.",
                 "علقت محكمة في {place} {day} مرسوما حكوميا بشأن {subject}، معتبرة أنه لم تتم استشارة {org} كما يقتضي القانون.",
                 "ศาลใน{place}มีคำสั่ง{day}ให้ระงับพระราชกฤษฎีกาของรัฐบาลเรื่อง{subject} โดยวินิจฉัยว่าไม่มีการปรึกษา{org}ตามที่กฎหมายกำหนด"),
        "d1": ("此案由{n1}名居民和以{cp}为首的一批律师提起。",
               "訴えを起こしたのは住民{n1}人と、{cp}氏が率いる弁護士団だった。",
               "소송은 주민 {n1}명과 {cp}이 이끄는 변호인단이 제기했다.",
               "Иск подали {n1} местных жителей и группа адвокатов во главе с {cp}.",
               "ورفع الدعوى {n1} من السكان ومجموعة من المحامين يقودها {cp}.",
               "คดีนี้ยื่นฟ้องโดยชาวบ้าน {n1} คน และกลุ่มทนายความที่นำโดย{cp}"),
        "d2": ("{actor_role}{actor}表示，政府将在{n2}天内提出上诉。",
               "{actor_role}の{actor}氏は、政府が{n2}日以内に控訴すると述べた。",
               "{actor} {actor_role}은 정부가 {n2}일 안에 항소할 것이라고 말했다.",
               "{Actor_role} {actor} заявил, что правительство обжалует решение в течение {n2} дней.",
               "وقال {actor}، {actor_role}، إن الحكومة ستستأنف الحكم في غضون {n2} يوما.",
               "{actor} {actor_role} กล่าวว่ารัฐบาลจะยื่นอุทธรณ์ภายใน {n2} วัน"),
    },
    "disaster": {
        "lead": ("官员说，洪水{day}席卷{place}，造成至少{n2}人死亡，{n1}户家庭失去家园。",
                 "当局によると、{day}に{place}を襲った洪水で少なくとも{n2}人が死亡し、{n1}世帯が家を失った。",
                 "당국에 따르면 {day} {place}를 휩쓴 홍수로 최소 {n2}명이 숨지고 {n1}가구가 집을 잃었다.",
                 "По меньшей мере {n2} человек погибли и {n1} семей лишились жилья в результате наводнения, обрушившегося {day} на {place}, сообщили власти.",
                 "قال مسؤولون إن {n2} شخصا على الأقل لقوا حتفهم وفقدت {n1} عائلة منازلها عندما اجتاحت الفيضانات {place} {day}.",
                 "เจ้าหน้าที่ระบุว่า มีผู้เสียชีวิตอย่างน้อย {n2} คน และ {n1} ครอบครัวสูญเสียบ้าน หลังน้ำท่วมใหญ่ใน{place}{day}"),
        "d1": ("由{cp_role}{cp}带领的救援队仍在{place2}附近地区搜寻幸存者。",
               "{cp_role}の{cp}氏が指揮する救助隊は、{place2}近くの地区で生存者の捜索を続けている。",
               "{cp} {cp_role}이 이끄는 구조대는 {place2} 인근 지역에서 생존자 수색을 계속했다.",
               "Спасательные команды, которыми руководит {cp_role} {cp}, продолжали поиски выживших в районе близ {place2}.",
               "وكانت فرق الإنقاذ بقيادة {cp}، {cp_role}، لا تزال تبحث عن ناجين في المنطقة القريبة من {place2}.",
               "ทีมกู้ภัยซึ่งนำโดย{cp} {cp_role} ยังคงค้นหาผู้รอดชีวิตในพื้นที่ใกล้{place2}"),
        "d2": ("{actor_role}{actor}承诺提供{amount}紧急援助，并视察了一处安置{n1}人的避难所。",
               "{actor_role}の{actor}氏は{amount}の緊急援助を約束し、{n1}人が身を寄せる避難所を訪れた。",
               "{actor} {actor_role}은 {amount}의 긴급 지원을 약속하고 {n1}명이 머무는 대피소를 찾았다.",
               "{Actor_role} {actor} пообещал выделить {amount} на экстренную помощь и посетил пункт временного размещения, где находятся {n1} человек.",
               "ووعد {actor}، {actor_role}، بتقديم {amount} مساعدات طارئة، وزار مأوى يؤوي {n1} شخص.",
               "{actor} {actor_role} ให้คำมั่นว่าจะมอบเงินช่วยเหลือฉุกเฉิน {amount} และได้ไปเยี่ยมศูนย์พักพิงที่รองรับผู้คน {n1} คน"),
    },
    "appointment": {
        "lead": ("{actor}{day}被任命为{actor_role}，接替上月因{subject}问题辞职的{cp}。",
                 "{day}、{subject}をめぐって先月辞任した{cp}氏の後任として、{actor}氏が{actor_role}に任命された。",
                 "{actor}이 {day} {actor_role}에 임명돼 {subject} 문제로 지난달 사임한 {cp}의 뒤를 잇는다.",
                 "{actor} {day} занял пост «{actor_role}», сменив {cp}, который в прошлом месяце ушёл в отставку из-за разногласий в сфере {subject}.",
                 "عين {actor} {day} {actor_role} خلفا لـ{cp} الذي استقال الشهر الماضي بسبب ملف {subject}.",
                 "{actor} ได้รับการแต่งตั้งเป็น{actor_role}{day} แทน{cp} ซึ่งลาออกเมื่อเดือนที่แล้วจากปัญหาเรื่อง{subject}"),
        "d1": ("现年{age}岁的{actor_s}此前在{place}领导{org}达{n2_small}年。",
               "{actor_s}氏は{age}歳で、これまで{place}で{org}を{n2_small}年間率いてきた。",
               "{age}세인 {actor_s}은 그동안 {place}에서 {n2_small}년간 {org}를 이끌었다.",
               "{actor_s}, которому {age} лет, ранее {n2_small} лет возглавлял структуру «{org}» в {place}.",
               "وكان {actor_s}، البالغ من العمر {age} عاما، يدير {org} في {place} لمدة {n2_small} سنوات.",
               "{actor_s} วัย {age} ปี เคยบริหาร{org}ใน{place}มาเป็นเวลา {n2_small} ปี"),
        "d2": ("这项任命须经议会确认，执政联盟在议会中拥有{seats}个席位。",
               "任命には議会の承認が必要で、与党連合は議会で{seats}議席を持つ。",
               "이번 임명은 의회 인준을 받아야 하며, 집권 연정은 의회에서 {seats}석을 차지하고 있다.",
               "Назначение должен утвердить парламент, где правящей коалиции принадлежат {seats} мест.",
               "ويجب أن يصادق البرلمان على التعيين، حيث يشغل الائتلاف الحاكم {seats} مقعدا.",
               "การแต่งตั้งครั้งนี้ต้องได้รับการรับรองจากรัฐสภา ซึ่งรัฐบาลผสมครองที่นั่งอยู่ {seats} ที่นั่ง"),
    },
    "investigation": {
        "lead": ("{place}检方{day}对{org}为{subject}授予的价值{amount}的合同展开调查。",
                 "{place}の検察当局は{day}、{org}が{subject}をめぐって発注した総額{amount}の契約について捜査を開始した。",
                 "{place} 검찰은 {day} {org}가 {subject} 명목으로 발주한 {amount} 규모의 계약에 대해 수사에 착수했다.",
                 "Прокуратура в {place} {day} возбудила дело в связи с контрактами на {amount}, заключёнными структурой «{org}» в сфере {subject}.",
                 "فتحت النيابة العامة في {place} {day} تحقيقا في عقود بقيمة {amount} منحها {org} في مجال {subject}.",
                 "อัยการใน{place}เปิดการสอบสวน{day} กรณีสัญญามูลค่า {amount} ที่{org}มอบให้ในโครงการด้าน{subject}"),
        "d1": ("调查人员搜查了{n2}间办公室，并查获了与前{cp_role}{cp}有关的文件。",
               "捜査員は事務所{n2}カ所を家宅捜索し、元{cp_role}の{cp}氏に関連する文書を押収した。",
               "수사관들은 사무실 {n2}곳을 압수수색해 전직 {cp_role} {cp}과 관련된 문서를 확보했다.",
               "Следователи провели обыски в {n2} офисах и изъяли документы, связанные с {cp}, в прошлом {cp_role}.",
               "وفتش المحققون {n2} مكتبا وصادروا وثائق مرتبطة بـ{cp}، {cp_role} السابق.",
               "เจ้าหน้าที่สอบสวนได้ตรวจค้นสำนักงาน {n2} แห่ง และยึดเอกสารที่เชื่อมโยงกับ{cp} อดีต{cp_role}"),
        "d2": ("{actor_role}{actor}表示政府将全力配合，并在调查期间暂停了{n1}名官员的职务。",
               "{actor_role}の{actor}氏は政府が全面的に協力すると述べ、捜査が終わるまで職員{n1}人を停職処分にした。",
               "{actor} {actor_role}은 정부가 전적으로 협조하겠다고 밝히고 수사 기간 공무원 {n1}명을 직무 정지했다.",
               "{Actor_role} {actor} заявил, что правительство будет всецело сотрудничать со следствием, и отстранил от работы {n1} чиновников.",
               "وقال {actor}، {actor_role}، إن الحكومة ستتعاون بشكل كامل، وأوقف {n1} موظفا عن العمل إلى حين انتهاء التحقيق.",
               "{actor} {actor_role} กล่าวว่ารัฐบาลจะให้ความร่วมมืออย่างเต็มที่ และได้สั่งพักงานเจ้าหน้าที่ {n1} คนระหว่างการสอบสวน"),
    },
}
QUOTE_FRAME = ("{actor_s}说：“{q1}。”", "{actor_s}氏は「{q1}」と語った。", "{actor_s}은 \"{q1}\"고 말했다.",
               "«{q1}», — сказал {actor_s}.", "وقال {actor_s}: \"{q1}\".", "{actor_s}กล่าวว่า \"{q1}\"")
HEADLINES = {
    "visit": ("{actor}{n2}年来首次访问{place}", "{actor}氏、{n2}年ぶりに{place}訪問", "{actor}, {n2}년 만에 {place} 방문",
              "{actor} впервые за {n2} лет посетил {place}", "{actor} يزور {place} لأول مرة منذ {n2} عاما",
              "{actor}เยือน{place}ครั้งแรกในรอบ {n2} ปี"),
    "agreement": ("{country}与{country2}签署{subject}协议", "{country}と{country2}、{subject}で協定に署名",
                  "{country}·{country2}, {subject} 협정 서명", "{country} и {country2} подписали соглашение на {amount}",
                  "{country} و{country2} توقعان اتفاقا بشأن {subject}", "{country}-{country2}ลงนามข้อตกลงด้าน{subject}"),
    "figures": ("报告显示{subject}支出增长{pct}", "{subject}への支出{pct}増", "{subject} 지출 {pct} 증가",
                "Расходы в сфере {subject} выросли на {pct}", "ارتفاع الإنفاق على {subject} بنسبة {pct}",
                "ค่าใช้จ่ายด้าน{subject}เพิ่มขึ้น {pct}"),
    "protest": ("数千人在{place}游行抗议", "{place}で数千人が抗議デモ", "{place}서 수천 명 반대 시위",
                "Тысячи человек вышли на протест в {place}", "آلاف يتظاهرون في {place}", "ประชาชนหลายพันคนประท้วงใน{place}"),
    "ruling": ("{place}法院暂停{subject}法令", "{place}の裁判所、{subject}の政令を停止", "{place} 법원, {subject} 법령 효력 정지",
               "Суд в {place} приостановил указ", "محكمة في {place} تعلق مرسوم {subject}", "ศาล{place}ระงับพระราชกฤษฎีกา"),
    "disaster": ("{place}洪灾致至少{n2}人死亡", "{place}で洪水、少なくとも{n2}人死亡", "{place} 홍수로 최소 {n2}명 사망",
                 "Наводнение в {place}: не менее {n2} погибших", "مقتل {n2} على الأقل في فيضانات {place}",
                 "น้ำท่วม{place}เสียชีวิตอย่างน้อย {n2} คน"),
    "appointment": ("{actor}出任{actor_role}", "{actor}氏が{actor_role}に就任", "{actor}, 신임 {actor_role}에 임명",
                    "{actor} назначен: {actor_role}", "تعيين {actor} {actor_role}", "แต่งตั้ง{actor}เป็น{actor_role}"),
    "investigation": ("检方调查价值{amount}的合同", "{amount}の契約めぐり検察が捜査", "검찰, {amount} 규모 계약 수사",
                      "Прокуратура проверяет контракты на {amount}", "تحقيق في عقود بقيمة {amount}",
                      "อัยการสอบสัญญามูลค่า {amount}"),
}


def fmt_int(n: int, lang: str) -> str:
    if n < 1000 or lang in ("zh", "ja", "ar"):
        return str(n)
    return f"{n:,}".replace(",", "\u00a0") if lang == "ru" else f"{n:,}"


def fmt_amount(m: int, lang: str) -> str:
    """``m`` million dollars as each language writes it (Chinese, Japanese and Korean count
    in units of ten thousand and a hundred million)."""
    if lang == "zh":
        return f"{m / 100:g}亿美元" if m >= 100 else f"{m * 100}万美元"
    if lang in ("ja", "ko"):
        big, small, currency = ("億", "万", "ドル") if lang == "ja" else ("억", "만", " 달러")
        if m < 100:
            return f"{m * 100}{small}{currency}"
        return f"{m // 100}{big}{m % 100 * 100}{small}{currency}" if m % 100 else f"{m // 100}{big}{currency}"
    return {"ru": f"{m} млн долларов", "ar": f"{m} مليون دولار", "th": f"{m} ล้านดอลลาร์สหรัฐ"}[lang]


def fmt_pct(x: float, lang: str) -> str:
    return f"{x:.1f}%".replace(".", ",") if lang == "ru" else f"{x:.1f}%"


_EASTERN = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def eastern_digits(text: str) -> str:
    """Arabic-Indic digits and decimal separator, as some Arabic papers print numbers."""
    out = []
    for i, ch in enumerate(text):
        if ch == "." and not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
            out.append(ch)
        else:
            out.append(ch.translate(_EASTERN))
    return "".join(out)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def script_slots(ev, lang: str) -> dict[str, object]:
    k = SCRIPT_LANGS.index(lang)
    from _storycorpus import ORGS as EN_ORGS, ROLES as EN_ROLES, SUBJECTS as EN_SUBJECTS

    t = ev.topic
    actor, cp = t.people[ev.actor], t.people[ev.cp]
    an, cn = transliterate(actor.name(0), lang), transliterate(cp.name(0), lang)
    surname = lambda name: transliterate(name.split()[-1], lang)  # noqa: E731
    role = lambda person: ROLES[EN_ROLES.index(person.role)][k]  # noqa: E731
    org = ORGS[EN_ORGS.index(t.orgs[ev.org])][k]
    country, country2 = COUNTRIES[t.countries[0]][k], COUNTRIES[t.countries[1]][k]
    country_g = country[1] if isinstance(country, tuple) else country
    country = country[0] if isinstance(country, tuple) else country
    country2 = country2[0] if isinstance(country2, tuple) else country2
    q1 = QUOTES[ev.q1[0]][k] + CONJ[k] + QUOTE_TAILS[ev.q1[1]][k]
    values = {
        "actor": an, "actor_s": surname(actor.name(0)), "actor_role": role(actor), "Actor_role": _cap(role(actor)),
        "cp": cn, "cp_s": surname(cp.name(0)), "cp_role": role(cp), "Cp_role": _cap(role(cp)),
        "place": transliterate(ev.place, lang), "place2": transliterate(ev.place2, lang),
        "country": country, "country_g": country_g, "country2": country2,
        "day": WEEKDAYS[k][ev.when.weekday()], "ndays": NDAYS[lang][ev.ndays],
        "n1": fmt_int(ev.n1, lang), "n2": ev.n2, "age": 38 + ev.n2 % 30, "n2_small": ev.n2_small,
        "amount": fmt_amount(ev.amount, lang), "pct": fmt_pct(ev.pct, lang), "year": ev.year,
        "subject": SUBJECTS[EN_SUBJECTS.index(t.subjects[ev.subject])][k], "org": org, "seats": 60 + ev.n1 % 240,
        "q1": q1,
    }
    return values


def render_script(ev, lang: str, form: str) -> tuple[str, list[str]]:
    """(headline, paragraphs) of ``ev`` in ``lang`` in one of ``SCRIPT_FORMS``."""
    k = SCRIPT_LANGS.index(lang)
    values = script_slots(ev, lang)
    paragraphs = []
    for fact in SCRIPT_FORMS[form]:
        template = QUOTE_FRAME[k] if fact == "quote" else EVENTS[ev.kind][fact][k]
        paragraphs.append(template.format(**values))
    return HEADLINES[ev.kind][k].format(**values), paragraphs


def script_doc(writer, ev, form: str, outlet: tuple, delay):
    """A ``CorpusDoc`` of ``ev`` in ``form`` at a non-Latin ``outlet`` (``SCRIPT_OUTLETS``)."""
    host, lang, _, name, eastern = outlet
    title, paragraphs = render_script(ev, lang, form)
    lines = paragraphs + [line.format(name=name) for line in SCRIPT_FOOTERS[lang]]
    if eastern:
        title, lines = eastern_digits(title), [eastern_digits(line) for line in lines]
    return writer.doc(ev, host, title, lines, ev.when + delay, lang, [], ev.story_id, form, ev.topic.key, set())
