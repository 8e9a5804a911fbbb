"""Honest promises in every language (issue 13, item 4).

Wherever a family page says what we store and pass on, it also says when the
law makes the counsellors tell the municipality (underretningspligt, also for
an unborn child); the receipt code is kept "somewhere only you will find it"
and described as an unreadable version, never as encrypted; and the fixes of
the translation review hold (one form of address in Arabic, the words for
network groups, outings, housing, newborn and due month).

The sentences are written out per language on purpose: a translation that
drops the duty to notify, or a catalog rebuilt from an old copy, fails here."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata

import pytest
from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES
from portal.i18n_tools import TRANSLATIONS

# The duty to notify: the page says that we must tell the municipality, only
# when seriously worried about a child, and that an unborn child counts too.
# (msgid: "Only if we become seriously worried about a child's safety does the
# law require us to tell the municipality. This also applies to a child who is
# not born yet.", in public/index.html and public/contact.html)
DUTY_TO_NOTIFY = {
    "da": ("Kun hvis vi bliver alvorligt bekymrede for et barns sikkerhed, siger loven, at vi skal fortælle det til kommunen.",
           "Det gælder også et barn, der ikke er født endnu."),
    "en": ("Only if we become seriously worried about a child's safety does the law require us to tell the municipality.",
           "This also applies to a child who is not born yet."),
    "ar": ("لا يُلزمنا القانون بإبلاغ البلدية (الكومونة) إلا إذا شعرنا بقلق جدي على سلامة طفل.",
           "وهذا يشمل أيضًا الطفل الذي لم يولد بعد."),
    "uk": ("Лише якщо ми всерйоз занепокоїмося безпекою дитини, закон зобов’язує нас повідомити про це муніципалітет.",
           "Це стосується і дитини, яка ще не народилася."),
    "tr": ("Yalnızca bir çocuğun güvenliğinden ciddi şekilde endişe edersek, yasa gereği belediyeye haber vermemiz gerekir.",
           "Bu, henüz doğmamış bir çocuk için de geçerlidir."),
    "ur": ("قانون کے مطابق ہمیں کمیون (بلدیہ) کو صرف اسی صورت میں بتانا ہوتا ہے جب ہمیں کسی بچے کی حفاظت کے بارے میں سنجیدہ تشویش ہو۔",
           "یہ بات اُس بچے پر بھی لاگو ہوتی ہے جو ابھی پیدا نہیں ہوا۔"),
}

# The leaflet says the promise and the duty in one point (it must stay one A5 page).
LEAFLET_DUTY = {
    "da": "undtagen hvis vi bliver alvorligt bekymrede for et barns sikkerhed. Så siger loven, at vi skal fortælle det til kommunen.",
    "en": "except if we become seriously worried about a child's safety. Then the law requires us to tell the municipality.",
    "ar": "إلا إذا شعرنا بقلق جدي على سلامة طفل. عندها يُلزمنا القانون بإبلاغ البلدية (الكومونة).",
    "uk": "хіба що ми всерйоз занепокоїмося безпекою дитини. Тоді закон зобов’язує нас повідомити про це муніципалітет.",
    "tr": "ancak bir çocuğun güvenliğinden ciddi şekilde endişe edersek, yasa gereği belediyeye haber vermemiz gerekir.",
    "ur": "سوائے اس کے کہ ہمیں کسی بچے کی حفاظت کے بارے میں سنجیدہ تشویش ہو۔ تب قانون کے مطابق ہمیں کمیون (بلدیہ) کو بتانا ہوتا ہے۔",
}

# "Write the code down now, or take a picture of it. Keep it somewhere only you will find it."
ONLY_YOU = {
    "da": "Gem den et sted, hvor kun du kan finde den.",
    "en": "Keep it somewhere only you will find it.",
    "ar": "واحفظوه في مكان لا يجده فيه أحد غيركم.",
    "uk": "Зберігайте його там, де його знайдете тільки ви.",
    "tr": "Onu yalnızca sizin bulabileceğiniz bir yerde saklayın.",
    "ur": "اسے ایسی جگہ رکھیں جہاں صرف آپ ہی اسے ڈھونڈ سکیں۔",
}

# The one-way hash of the code: an unreadable version no one can turn back.
UNREADABLE = {
    "da": "Vi gemmer kun en ulæselig udgave af den, og ingen kan lave den om til koden igen.",
    "en": "We keep only an unreadable version of it, and no one can turn that back into the code.",
    "ar": "نحن لا نحفظ منه إلا نسخة غير مقروءة، ولا يستطيع أحد أن يحوّلها إلى الرمز من جديد.",
    "uk": "Ми зберігаємо його лише у вигляді, який неможливо прочитати, і ніхто не може перетворити це назад на код.",
    "tr": "Biz kodun yalnızca okunamayan bir halini saklarız ve kimse onu tekrar koda çeviremez.",
    "ur": "ہم اس کی صرف ایک ایسی شکل رکھتے ہیں جسے پڑھا نہیں جا سکتا، اور کوئی بھی اسے واپس کوڈ میں نہیں بدل سکتا۔",
}

# Words for "encrypted"/"scrambled" that must never describe the code.
ENCRYPTED = {
    "da": ("krypt", "scrambl"),
    "en": ("encrypt", "scrambl", "cipher"),
    "ar": ("شفر", "تشفير"),          # مشفّر, مُشفَّرة, تشفير (compared without diacritics)
    "uk": ("шифр",),                   # зашифрований, шифрування
    "tr": ("şifrel", "kriptol"),        # şifrelenmiş (plain "şifre" is a password)
    "ur": ("انکرپٹ", "خفیہ"),
}


def test_every_language_is_covered():
    for table in (DUTY_TO_NOTIFY, LEAFLET_DUTY, ONLY_YOU, UNREADABLE, ENCRYPTED):
        assert set(table) == set(LANGUAGES)


def _plain(text: str) -> str:
    """Arabic-script text without diacritics (tashkeel), for word checks."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not unicodedata.combining(ch))


def _text(html: str) -> str:
    """The page's text: entities unescaped, whitespace collapsed."""
    return " ".join(html_lib.unescape(html).split())


# --- the duty to notify --------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("path", ["/", "/contact-me"])
def test_the_duty_to_notify_is_said_where_we_say_what_we_pass_on(client, lang, path):
    """The front page (what we store) and the contact form (what we store and
    why) both promise to pass nothing on; both say the one exception."""
    text = _text(client.get(f"/{lang}{path}").get_data(as_text=True))
    duty, unborn = DUTY_TO_NOTIFY[lang]
    assert duty in text
    assert unborn in text


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_printed_leaflet_says_the_duty_to_notify(staff_client, lang):
    client, _user = staff_client("lead")
    text = _text(client.get(f"/staff/leaflets/rh/{lang}").get_data(as_text=True))
    assert LEAFLET_DUTY[lang] in text


# --- the receipt code ------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_code_page_says_only_you_and_unreadable_never_encrypted(client, lang):
    response = client.post(f"/{lang}/ask", data={"question": "Hvad har jeg ret til, når jeg går på barsel?"})
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert 'class="receipt-code"' in response.get_data(as_text=True)  # it is the page with the code
    assert ONLY_YOU[lang] in text
    assert UNREADABLE[lang] in text
    plain = _plain(text).lower()
    for word in ENCRYPTED[lang]:
        assert _plain(word) not in plain, (lang, word)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_front_page_describes_the_code_as_unreadable_not_encrypted(client, lang):
    text = _text(client.get(f"/{lang}/").get_data(as_text=True))
    items = [item for item in re.findall(r"<li>(.*?)</li>", text) if UNREADABLE[lang] in item]
    assert len(items) == 1, lang
    for word in ENCRYPTED[lang]:
        assert _plain(word) not in _plain(items[0]).lower(), (lang, word)


# --- one form of address in Arabic ----------------------------------------------

def _arabic_strings() -> list[str]:
    with (TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    strings: list[str] = []
    for message in catalog:
        if message.id:
            strings += list(message.string) if isinstance(message.string, (tuple, list)) else [message.string or ""]
    return strings


# The family pages speak to the reader in the plural (polite) form: كم / ـوا.
# A second-person singular shows as the pronoun suffix ـكَ / ـكِ (written ك at
# the end of a word), as أنتَ / أنتِ, or as a singular imperative.
NOT_A_PRONOUN = {"ذلك", "لذلك", "كذلك", "بذلك", "تلك", "هناك", "هنالك", "الشريك", "شريك",
                 "الاشتراك", "اشتراك", "المشترك", "مشترك", "الدنمارك", "ترك", "البنك", "بنك"}
SINGULAR = {"أنت", "اكتب", "اكتبي", "اختر", "اختاري", "اذهب", "اذهبي", "ادخل", "ادخلي", "اقرأ",
            "اقرئي", "التقط", "التقطي", "انتظر", "انتظري", "اضغط", "اضغطي", "تحتاجين", "تستطيعين", "تريدين"}


def test_arabic_addresses_the_reader_in_one_form_the_plural():
    singular = []
    plural = 0
    for string in _arabic_strings():
        for word in re.findall(r"[\u0621-\u064A]+", _plain(string)):
            if word.endswith("كم") or word.endswith("وا"):
                plural += 1
            if word in SINGULAR or (word.endswith("ك") and word not in NOT_A_PRONOUN):
                singular.append((word, string))
    assert singular == [], "singular form of address in Arabic: " + "; ".join(f"{w} in «{s}»" for w, s in singular)
    assert plural > 100  # the plural really is the form used


# --- the translation review's words ---------------------------------------------

def test_arabic_network_groups_are_groups_to_keep_in_touch(client):
    for path in ("/ar/", "/ar/activities"):
        text = _plain(_text(client.get(path).get_data(as_text=True)))
        assert _plain("مجموعات تواصل") in text, path
        assert "تعارف" not in text, path


def test_ukrainian_outings_are_one_word_everywhere(client):
    front = _text(client.get("/uk/").get_data(as_text=True))
    activities = _text(client.get("/uk/activities").get_data(as_text=True))
    assert "під час поїздок" in front
    assert "влаштовують поїздки" in activities
    assert "прогулян" not in front + activities


def test_turkish_housing_is_konut(client):
    contact = _text(client.get("/tr/contact-me").get_data(as_text=True))
    assert re.search(r">\s*Konut\s*<", client.get("/tr/contact-me").get_data(as_text=True))
    assert "Barınma" not in contact
    assert "para, konut," in _text(client.get("/tr/").get_data(as_text=True))


def test_danish_due_month_is_terminsmaaned(client):
    assert "Terminsmåned, eller den måned dit barn blev født" in _text(client.get("/da/contact-me").get_data(as_text=True))


def test_urdu_baby_is_a_newborn(client):
    text = _text(client.get("/ur/contact-me").get_data(as_text=True))
    assert "کیا آپ حاملہ ہیں، یا آپ کا نومولود بچہ ہے؟" in text
    assert "ہمارا نومولود بچہ ہے" in text
    assert "نومولود بچے والے خاندان" in _text(client.get("/ur/").get_data(as_text=True))
