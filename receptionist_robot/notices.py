"""What the bridge itself says, in the robot's three languages, when Rasa's words would be wrong.

Rasa chooses a reply before the controller has acted; when the controller refuses (a tour
already running, the base unreachable) or there is nothing to act on (no tour to pause, no
exhibit here yet), the bridge says so instead. The kiosk shows `unavailable` while Rasa is
down. Pure data: a table of key -> language -> text.
"""

from __future__ import annotations

NOTICES: dict[str, dict[str, str]] = {
    "tour_running": {
        "en": "A tour is already under way, so I can't start another one. Say \"stop the tour\" to end it first.",
        "zh-HK": "而家已經有導賞進行緊，我開始唔到另一個。想結束可以話「停止導賞」。",
        "zh-CN": "现在已经有导览在进行，我无法开始另一个。想结束可以说“停止导览”。",
    },
    "cannot_start": {
        "en": "Sorry, I can't start the tour right now: the robot is not ready. Staff have been told.",
        "zh-HK": "唔好意思，而家開始唔到導賞：機械人未準備好。已經通知咗職員。",
        "zh-CN": "抱歉，现在无法开始导览：机器人还没准备好。已经通知了工作人员。",
    },
    "no_tour": {
        "en": "There is no tour running just now. Would you like me to start one?",
        "zh-HK": "而家冇導賞進行緊。你想唔想我帶你參觀？",
        "zh-CN": "现在没有导览在进行。你想让我带你参观吗？",
    },
    "no_exhibit": {
        "en": "We are not at an exhibit yet. Ask me about one by name, or start the tour.",
        "zh-HK": "我哋仲未到任何展品。你可以講出展品名，或者開始導賞。",
        "zh-CN": "我们还没到任何展品。你可以说出展品名称，或者开始导览。",
    },
    "unavailable": {
        "en": "The assistant is unavailable for a moment; staff have been told. I'll be back shortly.",
        "zh-HK": "助理暫時未能回應，已經通知咗職員，請稍候。",
        "zh-CN": "助理暂时无法回应，已经通知了工作人员，请稍候。",
    },
}


def notice(key: str, lang: str) -> str:
    texts = NOTICES[key]
    return texts.get(lang) or texts["en"]
