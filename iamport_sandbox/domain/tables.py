"""Code tables as data: banks and card companies by their KFTC standard codes, and the
sandbox's card rule (which company a card number belongs to). No imports: the payments
(:mod:`.payments`) and the REST endpoints both read it."""

BANKS = {
    "002": "KDB산업은행",
    "003": "IBK기업은행",
    "004": "KB국민은행",
    "007": "수협은행",
    "011": "NH농협은행",
    "012": "지역농축협",
    "020": "우리은행",
    "023": "SC제일은행",
    "027": "한국씨티은행",
    "031": "대구은행",
    "032": "부산은행",
    "034": "광주은행",
    "035": "제주은행",
    "037": "전북은행",
    "039": "경남은행",
    "045": "새마을금고",
    "048": "신협",
    "050": "저축은행",
    "064": "산림조합",
    "071": "우체국",
    "081": "하나은행",
    "088": "신한은행",
    "089": "케이뱅크",
    "090": "카카오뱅크",
    "092": "토스뱅크",
}
CARDS = {
    "361": "BC카드",
    "364": "광주카드",
    "365": "삼성카드",
    "366": "신한카드",
    "367": "현대카드",
    "368": "롯데카드",
    "369": "수협카드",
    "370": "씨티카드",
    "371": "NH카드",
    "372": "전북카드",
    "373": "제주카드",
    "374": "하나카드",
    "381": "KB국민카드",
    "041": "우리카드",
    "071": "우체국카드",
}
# The sandbox's card rule: the first digit of a card number names its company.
CARD_BY_FIRST_DIGIT = {"3": "365", "4": "366", "5": "381", "6": "367", "9": "361"}
OTHER_CARD = "371"


def card_code_for(card_number: str) -> str:
    """The code of the card company of ``card_number`` (digits), by the sandbox's rule."""
    return CARD_BY_FIRST_DIGIT.get(card_number[:1], OTHER_CARD)
