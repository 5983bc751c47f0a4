"""The SQL floor: the aggregates each measured page computes, done by hand-written PostgreSQL
alone (no ORM, no Python grouping). What the app takes beyond this is the price of its layers.

Every query starts from the same building block as `tasks.queries.task_stats`: the assignments
in scope (their task's source issued by the date), each with its latest status event on or
before the date (the copy kept on the assignment when that is its latest, else LATERAL ...
LIMIT 1 on the (assignment, effective_date, id) index: the reads the app makes), its verdict
by CASE (timeliness.classify_assignee, the at-risk test included) and the task's verdict by
GROUP BY (timeliness.combine: the worst unfinished assignee decides).

A Word build's floor adds what no SQL does: python-docx writing the same text, unstyled.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.db import connection
from docx import Document

from tasks.queries import risk_rules
from tasks.trend import trend_points

# Assignments in scope with their latest event as of %(as_of)s and their verdict `t`.
# Ranks follow timeliness._WORST_FIRST; completed ones rank after every unfinished one.
VERDICTS = """
scoped AS (
    SELECT a.id, a.task_id, a.unit_id, u.path, t.deadline, t.start_date, t.area_id,
           t.source_id, t.year, a.latest_status, a.latest_date, a.latest_progress
    FROM tasks_assignment a
    JOIN tasks_task t ON t.id = a.task_id
    JOIN tasks_source s ON s.id = t.source_id
    JOIN org_unit u ON u.id = a.unit_id
    WHERE (s.issued_on IS NULL OR s.issued_on <= %(as_of)s) AND u.path LIKE %(prefix)s
      AND (%(unit_id)s::int IS NULL OR a.unit_id = %(unit_id)s)
),
latest AS (
    SELECT sc.*,
        CASE WHEN sc.latest_date <= %(as_of)s THEN sc.latest_status ELSE e.status END AS status,
        CASE WHEN sc.latest_date <= %(as_of)s THEN sc.latest_date
             ELSE e.effective_date END AS effective_date,
        CASE WHEN sc.latest_date <= %(as_of)s THEN sc.latest_progress
             ELSE e.progress END AS progress
    FROM scoped sc
    LEFT JOIN LATERAL (
        SELECT status, effective_date, progress FROM tasks_statusevent ev
        WHERE sc.latest_date > %(as_of)s
          AND ev.assignment_id = sc.id AND ev.effective_date <= %(as_of)s
        ORDER BY ev.effective_date DESC, ev.id DESC LIMIT 1
    ) e ON true
),
verdicts AS (
    SELECT l.*, v.t,
        CASE v.t WHEN 'overdue' THEN 1 WHEN 'paused' THEN 2 WHEN 'proposed_removal' THEN 3
                 WHEN 'in_progress' THEN 4 WHEN 'recurring' THEN 5 WHEN 'not_started' THEN 6
                 WHEN 'completed_late' THEN 7 ELSE 8 END AS rank,
        v.t IN ('in_progress', 'recurring', 'not_started') AND l.deadline IS NOT NULL
        AND %(as_of)s <= l.deadline AND (
            (l.deadline - %(as_of)s <= %(days)s AND coalesce(l.progress, 0) < %(min_progress)s)
            OR (l.start_date IS NOT NULL AND l.start_date < l.deadline
                AND %(as_of)s > l.start_date
                AND 100.0 * (%(as_of)s - l.start_date) / (l.deadline - l.start_date)
                    - coalesce(l.progress, 0) > %(max_lag)s)
        ) AS at_risk
    FROM latest l
    CROSS JOIN LATERAL (SELECT CASE
        WHEN l.status = 'removed' THEN NULL
        WHEN l.status = 'completed' THEN CASE WHEN l.deadline IS NOT NULL
            AND l.effective_date > l.deadline THEN 'completed_late' ELSE 'completed_on_time' END
        WHEN l.status IN ('paused', 'proposed_removal') THEN l.status
        WHEN l.deadline IS NOT NULL AND %(as_of)s > l.deadline THEN 'overdue'
        ELSE coalesce(l.status, 'not_started') END AS t) v
),
tasks AS (
    SELECT task_id, min(deadline) AS deadline, min(area_id) AS area_id,
           min(source_id) AS source_id, min(year) AS year,
        CASE WHEN min(rank) = 6 AND bool_or(rank >= 7) THEN 4 ELSE min(rank) END AS rank,
        bool_or(at_risk AND rank < 7) AS any_risk
    FROM verdicts WHERE t IS NOT NULL GROUP BY task_id
),
task_verdicts AS (
    SELECT tasks.*, rank IN (4, 5, 6) AND any_risk AS at_risk,
        CASE WHEN rank >= 7 THEN 'completed' WHEN rank >= 4 THEN 'on_time'
             ELSE 'not_on_time' END AS grp
    FROM tasks
)"""

COUNTS = """
SELECT json_build_object(
  'total', count(*), 'completed', count(*) FILTER (WHERE grp = 'completed'),
  'on_time', count(*) FILTER (WHERE grp = 'on_time'),
  'not_on_time', count(*) FILTER (WHERE grp = 'not_on_time'),
  'at_risk', count(*) FILTER (WHERE at_risk))"""

TASK_STATS = f"WITH {VERDICTS} {COUNTS} FROM task_verdicts"

# The home page's counts of a unit also show its overdue tasks and its on-time tasks due within
# %(due_by)s (the "Quá hạn" and "Đến hạn trong 30 ngày" buttons).
UNIT_COUNTS = f"""WITH {VERDICTS}
SELECT json_build_object(
  'total', count(*), 'completed', count(*) FILTER (WHERE grp = 'completed'),
  'on_time', count(*) FILTER (WHERE grp = 'on_time'),
  'not_on_time', count(*) FILTER (WHERE grp = 'not_on_time'),
  'at_risk', count(*) FILTER (WHERE at_risk), 'overdue', count(*) FILTER (WHERE rank = 1),
  'due_soon', count(*) FILTER (WHERE grp = 'on_time' AND deadline <= %(due_by)s))
FROM task_verdicts"""

# The dashboard: headline counts by source, by area and by state, each reporting unit's (or,
# across the country, each province's) counts, the first 20 red and at-risk tasks with their
# reasons, and the report state of each unit for the current period.
DASHBOARD = f"""
WITH {VERDICTS},
by_unit AS (
    SELECT substr(path, 1, %(row_len)s) AS row_path, task_id,
        CASE WHEN min(rank) = 6 AND bool_or(rank >= 7) THEN 4 ELSE min(rank) END AS rank
    FROM verdicts WHERE t IS NOT NULL GROUP BY 1, 2
)
SELECT
  (SELECT json_agg(x) FROM (
      SELECT source_id, area_id, rank, at_risk, count(*) AS n FROM task_verdicts
      GROUP BY GROUPING SETS ((source_id, rank, at_risk), (area_id, rank, at_risk), (rank))
  ) x) AS groups,
  (SELECT json_agg(x) FROM (
      SELECT row_path, count(*) AS total, count(*) FILTER (WHERE rank >= 7) AS completed,
             count(*) FILTER (WHERE rank BETWEEN 4 AND 6) AS on_time
      FROM by_unit GROUP BY row_path
  ) x) AS units,
  (SELECT json_agg(x) FROM (
      SELECT tv.task_id, tk.code, tk.title, tv.grp, tv.at_risk,
          (SELECT r.reason FROM verdicts v CROSS JOIN LATERAL (
               SELECT reason FROM tasks_statusevent ev
               WHERE ev.assignment_id = v.id AND ev.effective_date <= %(as_of)s
               ORDER BY ev.effective_date DESC, ev.id DESC LIMIT 1) r
           WHERE v.task_id = tv.task_id AND r.reason <> '' LIMIT 1) AS reason
      FROM task_verdicts tv JOIN tasks_task tk ON tk.id = tv.task_id
      WHERE tv.grp = 'not_on_time' OR tv.at_risk
      ORDER BY tv.grp, tv.deadline NULLS LAST, tk.code LIMIT 40
  ) x) AS lists,
  (SELECT json_agg(x) FROM (
      SELECT r.unit_id, coalesce(ur.state, 'not_started') AS state
      FROM reporting_period_required_units r
      JOIN org_unit u ON u.id = r.unit_id
      LEFT JOIN reporting_unitreport ur ON ur.unit_id = r.unit_id AND ur.period_id = r.period_id
      WHERE r.period_id = %(period_id)s AND u.path LIKE %(prefix)s
  ) x) AS reports
"""

# The 12-point trend: each assignment's status at each month end, from its status changes after
# the first point (each valid until the next one) and its status at the first point (what its
# first change replaced, else the status it still has); counted per task and point (assignees
# with no event yet are unfinished, red once the deadline is past).
TREND = """
WITH points AS (SELECT unnest(%(points)s::date[]) AS on_day),
scoped AS (
    SELECT a.id, a.task_id, a.latest_status, a.latest_date FROM tasks_assignment a
    JOIN org_unit u ON u.id = a.unit_id
    WHERE u.path LIKE %(prefix)s
),
moves AS (
    SELECT ev.assignment_id, ev.effective_date, ev.id, ev.status, ev.previous_status
    FROM tasks_statusevent ev JOIN scoped sc ON sc.id = ev.assignment_id
    WHERE ev.effective_date > %(first)s AND ev.effective_date <= %(last)s
      AND ev.status <> ev.previous_status
),
at_first AS (
    SELECT DISTINCT ON (assignment_id) assignment_id, previous_status AS status FROM moves
    ORDER BY assignment_id, effective_date, id
),
changes AS (
    SELECT assignment_id, effective_date, id, status FROM moves
    UNION ALL
    SELECT * FROM (
        SELECT sc.id, %(first)s::date, 0, coalesce(f.status, CASE
            WHEN sc.latest_date <= %(last)s THEN sc.latest_status ELSE e.status END) AS status
        FROM scoped sc LEFT JOIN at_first f ON f.assignment_id = sc.id
        LEFT JOIN LATERAL (
            SELECT status FROM tasks_statusevent ev
            WHERE f.assignment_id IS NULL AND sc.latest_date > %(last)s
              AND ev.assignment_id = sc.id AND ev.effective_date <= %(last)s
            ORDER BY ev.effective_date DESC, ev.id DESC LIMIT 1
        ) e ON true
    ) known WHERE status <> ''
),
spans AS (
    SELECT assignment_id, status, effective_date AS since,
        lead(effective_date) OVER (PARTITION BY assignment_id ORDER BY effective_date, id)
            AS until
    FROM changes
),
covered AS (
    SELECT sc.task_id, p.on_day,
        count(*) AS n, count(*) FILTER (WHERE sp.status = 'completed') AS done,
        count(*) FILTER (WHERE sp.status = 'removed') AS removed,
        bool_or(sp.status IN ('paused', 'proposed_removal')) AS stopped
    FROM spans sp JOIN scoped sc ON sc.id = sp.assignment_id
    JOIN points p ON p.on_day >= sp.since AND (sp.until IS NULL OR p.on_day < sp.until)
    GROUP BY sc.task_id, p.on_day
),
sizes AS (SELECT task_id, count(*) AS assignees FROM scoped GROUP BY task_id),
per_task AS (
    SELECT p.on_day, c.done, c.removed, c.stopped, t.deadline, z.assignees
    FROM sizes z
    JOIN tasks_task t ON t.id = z.task_id
    JOIN tasks_source s ON s.id = t.source_id
    JOIN points p ON s.issued_on IS NULL OR s.issued_on <= p.on_day
    LEFT JOIN covered c ON c.task_id = t.id AND c.on_day = p.on_day
)
SELECT on_day,
    count(*) FILTER (WHERE coalesce(done, 0) = assignees - coalesce(removed, 0)
                     AND assignees > coalesce(removed, 0)),
    count(*) FILTER (WHERE coalesce(stopped, false) OR (deadline < on_day
                     AND assignees - coalesce(removed, 0) > coalesce(done, 0)))
FROM per_task GROUP BY on_day ORDER BY on_day
"""

# Figures: each element summed over the units in scope for the period (indicator_values reads
# them, then evaluates the formulas), and how many units reported it.
FIGURES = """
SELECT v.element_id, sum(v.value), count(DISTINCT v.unit_id)
FROM indicators_datavalue v JOIN org_unit u ON u.id = v.unit_id
WHERE v.period_id = %(period_id)s AND u.path LIKE %(prefix)s
  AND (%(unit_id)s::int IS NULL OR v.unit_id = %(unit_id)s)
GROUP BY v.element_id
"""

# A unit's open reports: periods open now that require it, and its report's state in each.
OPEN_REPORTS = """
SELECT p.id, p.code, coalesce(ur.state, 'not_started')
FROM reporting_period p
JOIN reporting_period_required_units r ON r.period_id = p.id AND r.unit_id = %(unit_id)s
LEFT JOIN reporting_unitreport ur ON ur.period_id = p.id AND ur.unit_id = %(unit_id)s
WHERE p.opens_at <= %(now)s AND (p.closes_at IS NULL OR p.closes_at > %(now)s)
ORDER BY p.due_at
"""

# The rest of a unit's home page: its unfinished tasks due within 30 days or overdue (its "to
# do" list, with its open reports not yet submitted: OPEN_REPORTS' rows), the figures it reports
# (which decide its indicators), how many units the reporter sees (its unit's subtree) and its
# unread notifications.
UNIT_HOME = """
SELECT
  (SELECT json_agg(x) FROM (
      SELECT t.code, t.title, t.deadline FROM tasks_assignment a
      JOIN tasks_task t ON t.id = a.task_id
      WHERE a.unit_id = %(unit_id)s AND t.deadline <= %(due_by)s
        AND a.latest_status NOT IN ('completed', 'removed')
  ) x) AS owed,
  (SELECT json_agg(e.code) FROM indicators_dataelement e
   JOIN org_unit me ON me.id = %(unit_id)s
   WHERE EXISTS (SELECT 1 FROM indicators_dataelement_reporting_units r
                 WHERE r.dataelement_id = e.id AND r.unit_id = me.id)
      OR (NOT EXISTS (SELECT 1 FROM indicators_dataelement_reporting_units r
                      WHERE r.dataelement_id = e.id)
          AND (e.unit_types = '[]' OR e.unit_types ? me.unit_type))) AS reported,
  (SELECT count(*) FROM org_unit u JOIN org_unit me ON me.id = %(unit_id)s
   WHERE u.path LIKE me.path || '%%') AS visible_units,
  (SELECT count(*) FROM notifications_notification n
   WHERE n.recipient_id = %(user_id)s AND n.read_at IS NULL) AS unread
"""

# The unit's indicators (`codes`: those its figures feed, which takes the formulas' parser to
# find) with their targets for the period's year or the 2025-2045 horizon.
INDICATORS = """
SELECT i.id, i.code, i.name, i.formula, i.direction, t.year, t.unit_type, t.value
FROM indicators_indicator i
JOIN reporting_period p ON p.id = %(period_id)s AND i.period_kind = p.kind
LEFT JOIN indicators_target t ON t.indicator_id = i.id
  AND (t.year = extract(year FROM p.ends_on) OR t.year IS NULL)
WHERE i.code = ANY(%(codes)s)
"""

# The quarterly report: the task counts by source and year at the report's date and at the
# day before the quarter, the tasks completed at the quarter's end (by area: with the eve's,
# "completed in the quarter"), the difficulties and proposals of the reports received for the
# quarter with their units (the report merges equal texts and names who raised them), the
# directives issued in the quarter and in all, and the indicators' targets.
REPORT_SECTIONS = """
SELECT s.kind, s.area_id, s.text, u.code, u.name
FROM reporting_section s
JOIN reporting_unitreport ur ON ur.id = s.report_id
JOIN org_unit u ON u.id = ur.unit_id
WHERE ur.period_id = %(period_id)s AND ur.state = 'received' AND u.path LIKE %(prefix)s
  AND s.kind IN ('difficulties', 'proposals')
ORDER BY u.path, s."order", s.id
"""
REPORT_DIRECTIVES = """
SELECT count(*) FILTER (WHERE d.issued_on >= p.starts_on), count(*)
FROM directives_directive d
JOIN org_unit u ON u.id = d.issuer_id
JOIN reporting_period p ON p.id = %(period_id)s
WHERE u.path LIKE %(prefix)s AND d.issued_on <= %(end)s
"""
REPORT_TARGETS = """
SELECT i.code, t.year, t.unit_type, t.value
FROM indicators_indicator i
JOIN reporting_period p ON p.id = %(period_id)s
LEFT JOIN indicators_target t ON t.indicator_id = i.id
  AND (t.year = extract(year FROM p.ends_on) OR t.year IS NULL)
WHERE i.period_kind = p.kind
   OR EXISTS (SELECT 1 FROM indicators_indicatorset_indicators m WHERE m.indicator_id = i.id)
"""
REPORT_TASKS = f"""
WITH {VERDICTS}
SELECT json_agg(x) FROM (
    SELECT source_id, year, grp, at_risk, count(*) FROM task_verdicts
    GROUP BY GROUPING SETS ((source_id, grp, at_risk), (source_id, year, grp, at_risk))
) x
"""

REPORT_COMPLETED = f"""
WITH {VERDICTS}
SELECT area_id, array_agg(task_id) FROM task_verdicts WHERE grp = 'completed' GROUP BY area_id
"""


def _params(as_of: date, prefix: str, unit_id: int | None = None, **extra: Any) -> dict[str, Any]:
    rules = risk_rules()
    return {
        "as_of": as_of,
        "prefix": f"{prefix}%",
        "unit_id": unit_id,
        "days": rules.days,
        "min_progress": rules.min_progress,
        "max_lag": rules.max_lag,
        **extra,
    }


def fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def task_counts(as_of: date, prefix: str = "", unit_id: int | None = None) -> dict[str, int]:
    """task_stats' total / completed / on time / not on time / at risk, by SQL alone."""
    rows = fetch(TASK_STATS, _params(as_of, prefix, unit_id))
    return dict(rows[0][0])


def trend(as_of: date, prefix: str) -> list[tuple[int, int]]:
    """(completed, not on time) at each point of tasks.trend.trend_points(as_of)."""
    points = trend_points(as_of)
    span = {"points": points, "first": points[0], "last": as_of}
    rows = fetch(TREND, {"prefix": f"{prefix}%", **span})
    return [(completed, late) for _on, completed, late in rows]


def dashboard(as_of: date, prefix: str, row_len: int, period_id: int | None) -> None:
    """`row_len`: the path length that names a row (a province's 4, or a reporting unit's)."""
    fetch(DASHBOARD, _params(as_of, prefix, row_len=row_len, period_id=period_id))
    trend(as_of, prefix)
    if period_id is not None and prefix:
        fetch(FIGURES, _params(as_of, prefix, period_id=period_id))


def unit_home(
    as_of: date, unit_id: int, user_id: int, period_id: int | None, now: Any, codes: list[str]
) -> None:
    """`codes`: the unit's indicators (see INDICATORS)."""
    due_by = as_of + timedelta(days=30)
    fetch(UNIT_COUNTS, _params(as_of, "", unit_id, due_by=due_by))
    fetch(OPEN_REPORTS, {"unit_id": unit_id, "now": now})
    fetch(UNIT_HOME, {"as_of": as_of, "unit_id": unit_id, "user_id": user_id, "due_by": due_by})
    if period_id is not None:
        fetch(FIGURES, _params(as_of, "", unit_id, period_id=period_id))
        fetch(INDICATORS, {"period_id": period_id, "codes": codes})


def quarterly_report(as_of: date, before: date, end: date, prefix: str, period_id: int) -> None:
    """`end`: the quarter's last day, or the report's date when that comes first."""
    for day in (as_of, before):
        fetch(REPORT_TASKS, _params(day, prefix))
    if end != as_of:  # made after the quarter: its completions are counted at its end
        fetch(REPORT_COMPLETED, _params(end, prefix))
    scope = {"period_id": period_id, "prefix": f"{prefix}%", "end": end}
    for sql in (REPORT_SECTIONS, REPORT_DIRECTIVES, REPORT_TARGETS):
        fetch(sql, scope)
    fetch(FIGURES, _params(as_of, prefix, period_id=period_id))


def docx_texts(docx: bytes) -> list[str]:
    """The paragraphs' text of a Word file, tables' cells included."""
    document = Document(io.BytesIO(docx))
    cells = (p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs)
    return [p.text for p in (*document.paragraphs, *cells)]


def plain_docx(texts: list[str]) -> bytes:
    """The least python-docx does to write these paragraphs: no style, no layout."""
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The monthly scoring of every commune (scoring.facts), over the month's data window (from
# %(first_day)s to the cut-off %(as_of)s, whose end is %(end)s; the previous window ended at
# %(start)s): each unit's tasks due by the cut-off with their verdicts then (VERDICTS, narrowed
# to the units scored), counted as the criteria read them — due in the window and done on time;
# overdue at the cut-off, or completed late in the window, with the days late in it — its
# reports due in the window (late days, a day begun counting; not sent by the cut-off), its
# products' milestones due in the window and those rated "vượt" in it; then the figures of the
# dated periods due in the window and the indicators' targets, which the formulas are evaluated
# from.
_NARROWED = "WHERE (s.issued_on IS NULL"
assert _NARROWED in VERDICTS
SCORING_VERDICTS = VERDICTS.replace(
    _NARROWED,
    "WHERE u.unit_type = ANY(%(types)s) AND t.deadline <= %(as_of)s\n"
    "      AND (s.issued_on IS NULL",
)
SCORING = f"""
WITH {SCORING_VERDICTS},
unit_tasks AS (
    SELECT unit_id,
        count(*) FILTER (WHERE deadline >= %(first_day)s) AS due,
        count(*) FILTER (WHERE deadline >= %(first_day)s AND t = 'completed_on_time') AS on_time,
        count(*) FILTER (WHERE t = 'overdue'
                         OR (t = 'completed_late' AND effective_date > %(since)s)) AS late,
        coalesce(sum(CASE
            WHEN t = 'overdue' THEN %(as_of)s - greatest(deadline, %(since)s)
            WHEN t = 'completed_late' AND effective_date > %(since)s
                THEN greatest(effective_date - greatest(deadline, %(since)s), 0)
            END), 0) AS days
    FROM verdicts WHERE t IS NOT NULL GROUP BY unit_id
),
reports AS (
    SELECT r.unit_id, count(*) AS due,
        count(*) FILTER (WHERE ur.first_submitted_at IS NULL
                         OR ur.first_submitted_at >= %(end)s) AS missed,
        count(*) FILTER (WHERE ur.first_submitted_at > p.due_at
                         AND ur.first_submitted_at < %(end)s) AS late,
        coalesce(sum(ceil(extract(epoch FROM ur.first_submitted_at - p.due_at) / 86400))
            FILTER (WHERE ur.first_submitted_at > p.due_at
                    AND ur.first_submitted_at < %(end)s), 0) AS days
    FROM reporting_period p
    JOIN reporting_period_required_units r ON r.period_id = p.id
    JOIN org_unit u ON u.id = r.unit_id AND u.unit_type = ANY(%(types)s)
    LEFT JOIN reporting_unitreport ur ON ur.period_id = p.id AND ur.unit_id = r.unit_id
    WHERE p.due_at >= %(start)s AND p.due_at < %(end)s
    GROUP BY r.unit_id
),
milestones AS (
    SELECT pr.unit_id, count(*) AS due,
        count(*) FILTER (WHERE m.done_on <= m.due_on AND m.done_recorded_at < %(end)s) AS on_time
    FROM products_milestone m JOIN products_product pr ON pr.id = m.product_id
    WHERE m.due_on BETWEEN %(first_day)s AND %(as_of)s AND EXISTS (
        SELECT 1 FROM products_producttransition x
        WHERE x.product_id = pr.id AND x.to_state = 'accepted' AND x.at < %(end)s)
    GROUP BY pr.unit_id
),
exceeded AS (
    SELECT unit_id, count(*) AS n FROM products_product
    WHERE rating = 'vuot' AND evaluated_at >= %(start)s AND evaluated_at < %(end)s
    GROUP BY unit_id
)
SELECT u.id, coalesce(tk.due, 0), coalesce(tk.on_time, 0), coalesce(tk.late, 0),
    coalesce(tk.days, 0), tk.unit_id IS NOT NULL, coalesce(rp.due, 0), coalesce(rp.late, 0),
    coalesce(rp.days, 0), coalesce(rp.missed, 0), coalesce(ms.due, 0), coalesce(ms.on_time, 0),
    coalesce(ex.n, 0)
FROM org_unit u
LEFT JOIN unit_tasks tk ON tk.unit_id = u.id
LEFT JOIN reports rp ON rp.unit_id = u.id
LEFT JOIN milestones ms ON ms.unit_id = u.id
LEFT JOIN exceeded ex ON ex.unit_id = u.id
WHERE u.unit_type = ANY(%(types)s)
  AND (u.active_from IS NULL OR u.active_from <= %(as_of)s)
  AND (u.active_to IS NULL OR u.active_to >= %(first_day)s)
"""
SCORING_FIGURES = """
SELECT v.unit_id, v.period_id, e.code, v.value
FROM indicators_datavalue v
JOIN indicators_dataelement e ON e.id = v.element_id
JOIN org_unit u ON u.id = v.unit_id
JOIN reporting_period p ON p.id = v.period_id
WHERE u.unit_type = ANY(%(types)s) AND p.due_at >= %(start)s AND p.due_at < %(end)s
  AND p.kind <> 'quick'
"""
SCORING_TARGETS = """
SELECT i.code, i.formula, i.direction, t.year, t.unit_type, t.value
FROM indicators_indicator i
JOIN reporting_period p ON p.due_at >= %(start)s AND p.due_at < %(end)s AND p.kind = i.period_kind
LEFT JOIN indicators_target t ON t.indicator_id = i.id
  AND (t.year = extract(year FROM p.ends_on) OR t.year IS NULL)
"""


def scoring(first_day: date, cutoff: date, since: date, types: list[str], bounds: Any) -> Any:
    """Every scored unit's facts for the month (see SCORING), with the figures and targets its
    indicators are evaluated from. `bounds`: the instants the window begins and ends at."""
    start, end = bounds
    params = _params(
        cutoff, "", None, types=types, first_day=first_day, since=since, start=start, end=end
    )
    rows = fetch(SCORING, params)
    fetch(SCORING_FIGURES, params)
    fetch(SCORING_TARGETS, params)
    return rows
