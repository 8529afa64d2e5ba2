"""What people write in one breath, per language (issue 12's conversations), shared by the
core tests (tests/conversation) and the Telegram journeys (tests/e2e)."""

from __future__ import annotations

#: A story with a place and a wish: "my wife/husband died last year, since then I sit alone at
#: home in Tilburg; is there a group for widows/widowers?"
ONE_BREATH = {
    "nl": "Hallo, mijn vrouw is vorig jaar overleden aan kanker en sindsdien zit ik alleen "
    "thuis in Tilburg. Bestaat er zoiets als een groep voor weduwnaars?",
    "tr": "Merhaba, eşim geçen yıl kanserden vefat etti ve o zamandan beri Tilburg'da evde "
    "yalnız oturuyorum. Eşini kaybedenler için bir grup var mı?",
    "fa": "سلام، همسرم پارسال از سرطان فوت کرد و از اون موقع تو تیلبورگ تنها تو خونه‌ام. "
    "گروهی برای کسایی که همسرشون رو از دست دادن هست؟",
    "ar": "مرحبا، زوجي توفي السنة الماضية بالسرطان ومن وقتها قاعدة لحالي بالبيت في تيلبورخ. "
    "في مجموعة للارامل؟",
}
#: Caring for a mother with Alzheimer's, tired, "I live in Amsterdam" (no wish yet).
CARING = {
    "nl": "Mijn moeder heeft alzheimer en ik ben zo moe. Ik woon in Amsterdam.",
    "tr": "Annem alzheimer hastası ve ben çok yoruldum. Amsterdam'da oturuyorum.",
    "fa": "سلام. مادرم آلزایمر داره و من خیلی خسته شدم. تو آمستردام زندگی می‌کنم",
    "ar": "امي عندها الزهايمر وانا تعبانة كتير. انا ساكنة في امستردام.",
}
#: A typed answer to "what would help you most?": "a group, please".
A_GROUP = {
    "nl": "ja, een groep graag",
    "tr": "evet lütfen, bir grup",
    "fa": "یه گروه می‌خوام",
    "ar": "بدي مجموعة",
}
LANGUAGES = list(ONE_BREATH)
