"""Background jobs of scoring that tell people, run by the django-tasks worker: of a draft, a
publication, a contest and its answer (the month's run itself is scoring.runs)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.services import notify
from org.models import Role, User
from scoring.models import Contest, ContestState, Round, RoundState


def scorecard_url(month: date, unit_code: str) -> str:
    return reverse("scoring:scorecard", args=[f"{month:%Y-%m}", unit_code])


@task()
def notify_round(round_id: int) -> int:
    """Each unit's head, of its own scorecard: a draft to read (and contest until its date), or
    the published result. Returns how many were told."""
    round_ = Round.objects.get(pk=round_id)
    names = {"month": f"{round_.month:%m/%Y}", "until": f"{round_.contest_until:%d/%m/%Y}"}
    if round_.state == RoundState.PUBLISHED:
        text = _("Đã công bố kết quả chấm điểm tháng %(month)s.") % names
    else:
        text = (
            _(
                "Đã có dự thảo kết quả chấm điểm tháng %(month)s; đơn vị giải trình trước hết ngày "
                "%(until)s."
            )
            % names
        )
    heads = User.objects.filter(
        role=Role.UNIT_HEAD, is_active=True, unit__scorecards__round=round_
    ).select_related("unit")
    told = 0
    for head in heads:
        told += notify(
            recipients=[head],
            text=text,
            url=scorecard_url(round_.month, head.unit.code),
            email_subject=_("[NQ57] Chấm điểm tháng %(month)s") % names,
        )
    return told


@task()
def notify_contest(contest_id: int) -> int:
    """A contest: tell the standing office; answered: tell the head who wrote it."""
    found = Contest.objects.select_related(
        "line__scorecard__round", "line__scorecard__unit", "author"
    ).get(pk=contest_id)
    scorecard = found.line.scorecard
    names = {
        "unit": scorecard.unit.name,
        "month": f"{scorecard.round.month:%m/%Y}",
        "criterion": found.line.name,
    }
    url = scorecard_url(scorecard.round.month, scorecard.unit.code)
    if found.state == ContestState.OPEN:
        recipients = list(User.objects.filter(role=Role.STANDING_OFFICE, is_active=True))
        text = _("%(unit)s giải trình tiêu chí “%(criterion)s” (tháng %(month)s).") % names
    else:
        recipients = [found.author]
        text = (
            _(
                "Cơ quan thường trực đã trả lời giải trình tiêu chí “%(criterion)s” (tháng "
                "%(month)s)."
            )
            % names
        )
    return notify(recipients=recipients, text=text, url=url)
