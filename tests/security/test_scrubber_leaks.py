"""What a coordinator would read if the scrubber missed something (issue 13, finding 7).

A citizen's question is scrubbed before a coordinator sees it. The attacker here is not the
citizen but whoever reads the request queue later (a coordinator of the wrong organisation, a
leaked database, a backup): every way people actually write a name, a phone number, an address,
an e-mail address, an IBAN or an account name must be gone, in Dutch, Turkish, Persian and
Arabic. The look-alikes (dates, times, codes, amounts, ages, public places, group and
municipality names, doses) must come through unchanged, or the coordinator cannot help.

Each leak: (text, fragments a coordinator must not see, kind scrub() must report).
"""

from __future__ import annotations

import pytest

from bot.privacy.scrub import scrub

Leak = tuple[str, tuple[str, ...], str]

LEAKS: dict[str, list[Leak]] = {
    "nl": [
        ("Ik heet Fatima El Amrani en ik zoek hulp", ("Fatima", "Amrani"), "name"),
        ("Mijn naam is Jan-Willem van der Berg", ("Jan-Willem", "Berg"), "name"),
        ("Hallo, ik ben Sanne de Vries, moeder van twee", ("Sanne", "Vries"), "name"),
        ("Eerst even dit: ben ik Yasmina Bakkali, 34 jaar", ("Yasmina", "Bakkali"), "name"),
        ("mijn naam is fatima en ik ben alleen", ("fatima",), "name"),
        (
            "bel me: nul zes een twee drie vier vijf zes zeven acht",
            ("zes een twee", "zeven acht"),
            "phone",
        ),
        (
            "mijn nummer is nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig",
            ("twaalf", "vierendertig", "achtenzeventig"),
            "phone",
        ),
        ("ik woon op de Kerkstraat twaalf", ("twaalf",), "address"),
        ("mijn postcode is 3512-AB", ("3512-AB",), "address"),
        ("adres 3512-ab 7 in Utrecht", ("3512-ab",), "address"),
        ("insta: fatma.yilmaz_90", ("fatma.yilmaz_90", "yilmaz"), "handle"),
        ("volg me op tiktok @fatma_90", ("fatma_90",), "handle"),
        ("mijn snap is fatma90", ("fatma90",), "handle"),
        ("mail naar fatima [at] gmail [dot] com", ("fatima", "gmail"), "email"),
        ("schrijf fatima at gmail punt com", ("fatima", "gmail"), "email"),
        ("fatima(at)gmail.com graag", ("fatima", "gmail"), "email"),
        ("IBAN NL91 ABNA 0417 1643 00 graag", ("0417", "1643", "ABNA"), "iban"),
        ("rekening NL91-ABNA-0417-1643-00", ("0417", "1643", "ABNA"), "iban"),
        ("mijn bsn is 111 222 333", ("111 222 333",), "bsn"),
        ("app me op +31 (0)6-1234 5678", ("1234", "5678"), "phone"),
        ("ik woon aan de Vredenburg 12 boven de winkel", ("Vredenburg 12",), "address"),
        ("huisnummer 14, bel twee keer", ("huisnummer 14",), "address"),
        ("Kerkstraat nummer vierendertig", ("vierendertig",), "address"),
    ],
    "tr": [
        ("Benim adım Ayşe Demir, yardım istiyorum", ("Ayşe", "Demir"), "name"),
        ("Adım Fatma Yılmaz, üç çocuğum var", ("Fatma", "Yılmaz"), "name"),
        ("ismim Mehmet Öztürk", ("Mehmet", "Öztürk"), "name"),
        ("Merhaba, ben Ayşe, Utrecht'te yaşıyorum", ("Ayşe",), "name"),
        ("adım ayşe", ("ayşe",), "name"),
        (
            "telefonum sıfır altı bir iki üç dört beş altı yedi sekiz",
            ("bir iki üç", "yedi sekiz"),
            "phone",
        ),
        (
            "numaram sıfır beş yüz otuz iki yüz kırk beş altmış yedi seksen dokuz",
            ("otuz iki", "seksen dokuz"),
            "phone",
        ),
        (
            "numaram sifir alti on iki otuz dort elli alti yetmis sekiz",
            ("otuz dort", "yetmis sekiz"),
            "phone",
        ),
        ("Kerkstraat'ta 12 numarada oturuyorum", ("Kerkstraat'ta 12",), "address"),
        ("Kerkstraat 12'de oturuyorum", ("Kerkstraat 12",), "address"),
        ("Kerkstraat’ta 12, zil bozuk", ("Kerkstraat’ta 12",), "address"),
        ("adresim Kerkstraat on iki", ("on iki",), "address"),
        ("posta kodum 3512-AB", ("3512-AB",), "address"),
        ("insta: fatma.yilmaz_90", ("fatma.yilmaz_90",), "handle"),
        ("instagram hesabım fatmayilmaz", ("fatmayilmaz",), "handle"),
        ("tiktok: fatmaylmz yazın", ("fatmaylmz",), "handle"),
        ("snap fatma_90 ekleyin", ("fatma_90",), "handle"),
        ("mailim fatma [at] hotmail [dot] com", ("fatma", "hotmail"), "email"),
        ("fatma at hotmail nokta com yazın", ("fatma", "hotmail"), "email"),
        ("IBAN'ım NL91 ABNA 0417 1643 00", ("0417", "1643"), "iban"),
        ("telefonum 0532 145 67 89", ("145 67 89",), "phone"),
        ("@fatma_90 hesabından yazın", ("fatma_90",), "handle"),
        (
            "numaram sıfır altı, on iki, otuz dört, elli altı, yetmiş sekiz",
            ("otuz dört", "yetmiş sekiz"),
            "phone",
        ),
    ],
    "fa": [
        ("اسم من مریم احمدی است", ("مریم", "احمدی"), "name"),
        ("اسمم مریم است و تنها هستم", ("مریم",), "name"),
        ("سلام، من مریم هستم", ("مریم",), "name"),
        ("نامم علی رضایی است", ("علی", "رضایی"), "name"),
        ("من زهرا محمدی هستم، ۴۰ سالمه", ("زهرا", "محمدی"), "name"),
        ("اسم من نرگس عطار است", ("نرگس", "عطار"), "name"),
        ("شماره‌ام ۰۶۱۲۳۴۵۶۷۸ است", ("۰۶۱۲۳۴۵۶۷۸",), "phone"),
        ("شماره من ۰۶ ۱۲ ۳۴ ۵۶ ۷۸ است", ("۳۴ ۵۶ ۷۸",), "phone"),
        ("شماره من صفر شش یک دو سه چهار پنج شش هفت هشت است", ("یک دو سه", "هفت هشت"), "phone"),
        (
            "شماره‌ام صفر شش دوازده سی و چهار پنجاه و شش هفتاد و هشت",
            ("دوازده", "سی و چهار", "هفتاد و هشت"),
            "phone",
        ),
        ("آدرسم Kerkstraat 12 است", ("Kerkstraat 12",), "address"),
        ("ساکن Kerkstraat دوازده هستم", ("دوازده",), "address"),
        ("کد پستی ۳۵۱۲-AB", ("۳۵۱۲-AB",), "address"),
        ("اینستا: fatma.yilmaz_90", ("fatma.yilmaz_90",), "handle"),
        ("آیدی اینستاگرامم maryam.ahmadi_85 است", ("maryam.ahmadi_85",), "handle"),
        ("ایمیلم maryam [at] gmail [dot] com است", ("maryam", "gmail"), "email"),
        ("ایمیل maryam ات gmail دات com", ("maryam", "gmail"), "email"),
        ("شماره حساب NL91 ABNA 0417 1643 00", ("0417", "1643"), "iban"),
        ("+۳۱ ۶ ۱۲۳۴ ۵۶۷۸ واتساپ دارم", ("۱۲۳۴", "۵۶۷۸"), "phone"),
        ("تلگرام @maryam_ahmadi", ("maryam_ahmadi",), "handle"),
        ("پلاک ۱۲، خیابان Kerkstraat", ("پلاک ۱۲",), "address"),
        ("اسم من Maryam Ahmadi است", ("Maryam", "Ahmadi"), "name"),
        ("کد ملی هلند من ۱۱۱۲۲۲۳۳۳ است", ("۱۱۱۲۲۲۳۳۳",), "bsn"),
    ],
    "ar": [
        ("اسمي فاطمة الزهراء", ("فاطمة", "الزهراء"), "name"),
        ("انا اسمي محمد العلي من سوريا", ("محمد", "العلي"), "name"),
        ("أنا فاطمة وعندي ثلاثة أطفال", ("فاطمة",), "name"),
        ("إسمي أحمد بن علي", ("أحمد", "علي"), "name"),
        ("اسمي أحمد خليل. أحتاج مساعدة", ("أحمد", "خليل"), "name"),
        ("رقمي ٠٦١٢٣٤٥٦٧٨", ("٠٦١٢٣٤٥٦٧٨",), "phone"),
        ("رقمي ٠٦ ١٢ ٣٤ ٥٦ ٧٨ شكرا", ("٣٤ ٥٦ ٧٨",), "phone"),
        (
            "رقمي صفر ستة واحد اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية",
            ("اثنين ثلاثة", "سبعة ثمانية"),
            "phone",
        ),
        (
            "رقم الهاتف صفر ستة اثنا عشر أربعة وثلاثون ستة وخمسون ثمانية وسبعون",
            ("اثنا عشر", "أربعة وثلاثون", "ثمانية وسبعون"),
            "phone",
        ),
        ("عنواني Kerkstraat 12", ("Kerkstraat 12",), "address"),
        ("أسكن في Kerkstraat رقم ١٢", ("١٢",), "address"),
        ("الرمز البريدي ٣٥١٢-AB", ("٣٥١٢-AB",), "address"),
        ("انستا: fatma.yilmaz_90", ("fatma.yilmaz_90",), "handle"),
        ("حسابي على انستغرام fatima.zahra_88", ("fatima.zahra_88",), "handle"),
        ("سناب fatima_88", ("fatima_88",), "handle"),
        ("إيميلي fatima [at] gmail [dot] com", ("fatima", "gmail"), "email"),
        ("fatima(at)gmail.com", ("fatima", "gmail"), "email"),
        ("ايميلي fatima آت gmail نقطة com", ("fatima", "gmail"), "email"),
        ("الآيبان NL91 ABNA 0417 1643 00", ("0417", "1643"), "iban"),
        ("+٣١ ٦ ١٢٣٤ ٥٦٧٨ واتساب", ("١٢٣٤", "٥٦٧٨"), "phone"),
        ("تيك توك @fatima_88", ("fatima_88",), "handle"),
        ("اسمي Fatima El Amrani", ("Fatima", "Amrani"), "name"),
        ("بيت رقم ١٢ في شارع Kerkstraat", ("رقم ١٢",), "address"),
    ],
}

LOOKALIKES: dict[str, list[str]] = {
    "nl": [
        "de bijeenkomst is op 12-03-2025 om 19:30",
        "ik ben moe en verdrietig",
        "ik ben 45 jaar",
        "de huur is € 250 per maand",
        "ik krijg 1200 euro uitkering",
        "kan ik in week 12 langskomen?",
        "ik neem 2 x 500 mg paracetamol per dag",
        "we spreken af bij Centraal Station",
        "ik wil naar de groep Samen Sterk in Utrecht",
        "mijn code is K7-3QX",
        "in 2025 is mijn man overleden",
        "ik ben alleen sinds 2019 op mezelf",
        "ik ben Marokkaans en moslim",
        "Ik ben Nederlander, mijn moeder is Turks",
        "ik woon in Amsterdam-Noord",
        "mijn kinderen zijn drie en vijf jaar",
        "twee of drie keer per week",
        "ik heet u van harte welkom",
        "tweeduizend vijfhonderd euro schuld",
        "het spreekuur is van 9:00 tot 12:30",
        "bus 12 naar het Stadhuis",
        "de Kerkstraat is afgesloten",
        "om half acht bij de Bibliotheek",
        "ik woon al 12 jaar in 's-Hertogenbosch",
        "ik heb een afspraak op 01-04-2025 om 10.30 uur",
        "de gemeente Tilburg zegt 3 maanden wachten",
    ],
    "tr": [
        "toplantı 12-03-2025 saat 19:30'da",
        "ben çok yorgunum",
        "ben 45 yaşındayım",
        "kira € 250, ödeyemiyorum",
        "1200 euro borcum var",
        "12. haftada randevum var, week 12",
        "günde 2 kez 500 mg ilaç alıyorum",
        "Centraal Station'da buluşalım",
        "Utrecht'te 12 yıldır yaşıyorum",
        "Rotterdam'da 3 çocuğumla yaşıyorum",
        "kodum K7-3QX",
        "bin beş yüz lira borcum var",
        "iki bin yirmi beş yılında geldim",
        "üç çocuğum var, yedi ve on iki yaşında",
        "Ben Türküm ve Müslümanım",
        "Ben Hollanda'da yaşıyorum",
        "adım adım ilerlemek istiyorum",
        "yüz yüze görüşmek istiyorum",
        "saat yedi buçukta gelirim",
        "Kadın Dayanışma grubuna katılmak istiyorum",
        "Amsterdam-Noord'da oturuyorum",
        "ilk adım çok zor",
        "haftada iki üç kez ağlıyorum",
        "Eindhoven'da 12 yıl yaşadım",
        "kiram 1200 TL değil, 950 euro",
    ],
    "fa": [
        "جلسه ۱۲-۰۳-۲۰۲۵ ساعت ۱۹:۳۰ است",
        "من خسته هستم",
        "من ۴۵ سال دارم",
        "من ۳ سال است در هلند هستم",
        "اجاره ۲۵۰ یورو است",
        "۱۲۰۰ یورو بدهی دارم",
        "هفته ۱۲ وقت دارم",
        "روزی دو بار ۵۰۰ میلی‌گرم قرص می‌خورم",
        "در Centraal Station همدیگر را ببینیم",
        "من در اوترخت زندگی می‌کنم",
        "کد من K7-3QX است",
        "دو هزار یورو بدهی دارم",
        "سه بچه دارم",
        "من تنها هستم",
        "من مادر سه فرزند هستم",
        "اسم گروه زنان همراه است",
        "از سال ۱۴۰۲ اینجا هستم",
        "نه، ممنون",
        "من ایرانی هستم",
        "ساعت هفت و نیم می‌آیم",
        "در آمستردام ۱۲ سال زندگی کردم",
        "دوازده سال پیش آمدم",
        "اسمم را نمی‌گویم",
        "بیست و پنج سالمه",
        "من امید دارم که کمک کنید",
    ],
    "ar": [
        "الاجتماع يوم ١٢-٠٣-٢٠٢٥ الساعة ١٩:٣٠",
        "انا تعبانة",
        "عمري ٤٥ سنة",
        "الإيجار ٢٥٠ يورو",
        "عندي دين ١٢٠٠ يورو",
        "موعدي في الأسبوع ١٢",
        "آخذ حبة ٥٠٠ ملغ مرتين في اليوم",
        "نلتقي عند Centraal Station",
        "أسكن في أوترخت منذ ١٢ سنة",
        "الرمز K7-3QX",
        "عندي دين ألفين يورو",
        "عندي ثلاثة أطفال",
        "انا وحيد جدا",
        "انا سعيد هنا",
        "اسمي غير مهم",
        "انا سوري ومسلم",
        "أريد مجموعة نساء معا في روتردام",
        "في عام ٢٠١٩ جئت إلى هولندا",
        "الساعة سبعة ونص",
        "ثلاث أو أربع مرات في الأسبوع",
        "انا أم لثلاثة أطفال",
        "انا من سوريا",
        "أسكن في روتردام منذ خمس سنوات",
        "عمري خمسة وأربعون سنة",
        "الجلسة ٩:٠٠ - ١٢:٣٠",
    ],
}


def _leak_cases() -> list[tuple[str, str, tuple[str, ...], str]]:
    return [(lang, *leak) for lang, leaks in LEAKS.items() for leak in leaks]


def _lookalike_cases() -> list[tuple[str, str]]:
    return [(lang, text) for lang, texts in LOOKALIKES.items() for text in texts]


@pytest.mark.parametrize(("language", "text", "secrets", "kind"), _leak_cases())
def test_the_coordinator_never_sees_the_leak(
    language: str, text: str, secrets: tuple[str, ...], kind: str
) -> None:
    result = scrub(text)
    seen = [secret for secret in secrets if secret in result.text]
    assert not seen, f"{language}: {seen} left in {result.text!r}"
    assert kind in result.removed


@pytest.mark.parametrize(("language", "text"), _lookalike_cases())
def test_lookalikes_reach_the_coordinator_unchanged(language: str, text: str) -> None:
    result = scrub(text)
    assert result.text == text and result.removed == ()


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
def test_the_table_is_big_enough(language: str) -> None:
    assert len(LEAKS[language]) >= 20 and len(LOOKALIKES[language]) >= 20
