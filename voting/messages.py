"""The refusals a voter can meet, with their machine codes (DESIGN.md §6) and texts.

Texts are English msgids through gettext. Until the zh_Hans catalogue carries them, the
Chinese wording below is used when the active language is Chinese, so residents never read
English refusals; the translator can copy it into the catalogue.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

ZH = {
    "Enter a mainland mobile number: 11 digits starting with 1.": "请输入11位大陆手机号码。",
    "The code is wrong, has expired or was already used. Ask for a new one.": (
        "验证码错误、已过期或已使用，请重新获取。"
    ),
    "Too many requests. Please try again later.": "操作太频繁，请稍后再试。",
    "The request is not valid.": "请求格式不正确。",
    "Verify your mobile number before voting.": "请先验证手机号码再投票。",
    "Voting is closed. It runs from %(start)s to %(end)s.": (
        "投票已关闭。投票时间为%(start)s至%(end)s。"
    ),
    "There is no such candidate.": "没有这个候选小区。",
    "You have already voted for this candidate today. Come back tomorrow.": (
        "您今天已为该小区投过票，请明天再来。"
    ),
    "You have used all of today's %(limit)s votes. Come back tomorrow.": (
        "您今天的%(limit)s票已全部用完，请明天再来。"
    ),
    "The service is busy. Please try again in a moment.": "系统繁忙，请稍后再试。",
    "There is no campaign yet.": "暂无评选活动。",
    "Not found.": "未找到。",
    "The security check failed: reload the page and try again.": "安全校验失败，请刷新页面后重试。",
    "Thank you! Your vote has been counted. Votes left today: %(remaining)s.": (
        "投票成功！今天还可投%(remaining)s票。"
    ),
    "A code has been sent to %(phone)s.": "验证码已发送至%(phone)s。",
    "Enter the characters in the picture.": "请输入图片中的字符。",
    "Vote": "投票",
    "Vote for %(name)s": "为%(name)s投票",
    "Mobile number": "手机号码",
    "Send code": "获取验证码",
    "Code": "验证码",
    "Verify and vote": "验证并投票",
    "Confirm my vote": "确认投票",
    "Back to the candidate": "返回候选小区",
    "Your number is verified once; after that each vote is one tap.": (
        "首次投票需验证手机号码，之后一键即可投票。"
    ),
    "You are voting as %(phone)s. Votes left today: %(remaining)s.": (
        "当前投票手机：%(phone)s，今天还可投%(remaining)s票。"
    ),
}


def text(msgid, **params):
    """``gettext(msgid) % params``, with the Chinese wording while the catalogue lacks it."""
    translated = _(msgid)
    if translated == msgid and (get_language() or "").startswith("zh"):
        translated = ZH.get(msgid, msgid)
    return translated % params if params else translated


# Marked for makemessages: the msgids above are looked up at run time through text().
if False:  # pragma: no cover
    _("Enter a mainland mobile number: 11 digits starting with 1.")
    _("The code is wrong, has expired or was already used. Ask for a new one.")
    _("Too many requests. Please try again later.")
    _("The request is not valid.")
    _("Verify your mobile number before voting.")
    _("Voting is closed. It runs from %(start)s to %(end)s.")
    _("There is no such candidate.")
    _("You have already voted for this candidate today. Come back tomorrow.")
    _("You have used all of today's %(limit)s votes. Come back tomorrow.")
    _("The service is busy. Please try again in a moment.")
    _("There is no campaign yet.")
    _("Not found.")
    _("The security check failed: reload the page and try again.")
    _("Thank you! Your vote has been counted. Votes left today: %(remaining)s.")
    _("A code has been sent to %(phone)s.")
    _("Enter the characters in the picture.")
    _("Vote")
    _("Vote for %(name)s")
    _("Mobile number")
    _("Send code")
    _("Code")
    _("Verify and vote")
    _("Confirm my vote")
    _("Back to the candidate")
    _("Your number is verified once; after that each vote is one tap.")
    _("You are voting as %(phone)s. Votes left today: %(remaining)s.")


class VotingError(Exception):
    """A refusal with its HTTP status, machine code and message (and optional Retry-After)."""

    def __init__(self, status, code, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = str(message)
        self.retry_after = retry_after


def invalid_request():
    return VotingError(400, "invalid_request", text("The request is not valid."))


def too_many_requests(retry_after=60):
    return VotingError(
        429, "too_many_requests", text("Too many requests. Please try again later."), retry_after
    )


def busy():
    return VotingError(
        503, "busy", text("The service is busy. Please try again in a moment."), retry_after=2
    )
