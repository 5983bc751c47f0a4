"""Names `vulture` (make layers) cannot see in use, read only by what it does not scan: templates,
the database, libraries whose properties are set, settings strings. Real dead code is deleted,
not listed here. (Vulture counts a name as used wherever it appears; this file is never run.)"""

from typing import Any

_: Any = None

# Model and form fields read only by templates, the admin or the database.
_.cluster, _.created_at, _.description, _.entered_at, _.entered_by, _.evidence_link
_.finished_at, _.is_standing_office, _.latest_progress, _.previous_status, _.requested_by
_.search_text, _.sent_at, _.sort, _.unit_codes, _.uploaded_at, _.uploaded_by
_.decided_at, _.decided_by  # a correction's decision, shown on the report page
_.DIRECTIVE, _.CONCLUSION  # choices
# Attributes and properties set on rows for templates.
_.due_soon, _.indicators_met, _.owed, _.own_report, _.own_required, _.polling, _.removable
_.role_label, _.shown_error, _.shown_status_label, _.date_joined, _.help_text
# Formatting properties python-docx and openpyxl read.
_.alignment, _.author, _.autofit, _.bottom_margin, _.data_type
_.different_first_page_header_footer, _.first_line_indent, _.freeze_panes, _.indent
_.is_linked_to_previous, _.left_indent
_.left_margin, _.line_spacing, _.page_height, _.page_width, _.right_indent, _.right_margin
_.space_after, _.space_before, _.top_margin
# Named in nq57/settings.py (not scanned: every setting would count as unused).
_.env_bool, _.env_int, _.env_list, _.env_str, _.navigation, _.unread, _.DEBUG
# Arguments a signature needs: **opts of a command's handle, the cache key of nq57.links._path.
_.opts, _.script_prefix
# Requested by pytest by name in conftest.py.
_.django_db_setup, _.demo_data
# Unit-tree services (move, close, delete a unit), tested in org/tests/test_services.py: the
# province's tree changes (communes merged 412 -> 130) go through them; their pages are issue 13's.
_.move_unit, _.close_unit, _.delete_unit
# Named by dotted path in settings (error handlers, storage, the axes handler) or by the import
# job (nq57.imports runs the views' import functions); read by libraries: django-axes' handler
# hooks, django-tasks-db's worker flag, the heartbeat's field in lookups, ssl's context options.
_.server_error, _.bad_request, _.csrf_failure, _.PrivateExceptionReporterFilter
_.PrivateExceptionReporter, _.get_post_parameters, _.get_traceback_frame_variables
_.MediaStorage, _.LoginThrottle, _.get_failures, _.reset_user_attempts
_.run_account_import, _.run_figure_import, _.run_task_import
_.running_task, _.beat_at, _.check_hostname, _.verify_mode
# Locust reads the load test's user classes and their settings by name.
_.Commune, _.StandingOffice, _.wait_time, _.fixed_count, _.on_start
