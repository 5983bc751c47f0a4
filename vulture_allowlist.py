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
_.recorded_at  # when a unit change was recorded, shown on the unit page
_.due_rule  # a schedule form's choice, read from cleaned_data
_.successor_code, _.successor_name, _.successor_type, _.successor_parent  # the merge form's
_.DIRECTIVE, _.CONCLUSION  # choices
_.FILLED, _.PART, _.SECTION, _.SUBSECTION, _.LABEL  # choices: a profile's date line, outline levels
_.can_edit  # the composer page: whether the user may write
# Attributes and properties set on rows for templates.
_.due_soon, _.owed, _.own_report, _.own_required, _.polling, _.removable
_.role_label, _.shown_error, _.shown_status_label, _.date_joined, _.help_text
_.state_label  # a followed proposal's state, on the follow-up list
_.approvals, _.other_owed, _.tone, _.days_overdue, _.by, _.yes_no, _.single  # homes, menu, report
# Formatting properties python-docx and openpyxl read.
_.alignment, _.author, _.autofit, _.bottom_margin, _.data_type
_.different_first_page_header_footer, _.first_line_indent, _.freeze_panes, _.indent
_.is_linked_to_previous, _.left_indent
_.left_margin, _.line_spacing, _.page_height, _.page_width, _.right_indent, _.right_margin
_.space_after, _.space_before, _.top_margin
# Named in nq57/settings.py (not scanned: every setting would count as unused).
_.env_bool, _.env_int, _.env_list, _.env_str, _.navigation, _.unread, _.menu, _.DEBUG
# Arguments a signature needs: **opts of a command's handle, the cache key of nq57.links._path.
_.opts, _.script_prefix
# Requested by pytest by name in conftest.py.
_.django_db_setup, _.demo_data
# Deleting a unit created by mistake (no page yet), tested in org/tests/test_services.py.
_.delete_unit
# indicators' set-up forms and pages: read by Django's form machinery, simple-history and templates.
_.prepare_value, _.disabled, _.empty_label, _._history_date, _._change_reason
_.scope_fields, _.main_fields, _.head_fields, _.kind_fields, _.confirmed_by, _.other_frequency
_.open_warnings
# Products and scoring: fields and properties read by templates, the admin, exports or tests.
_.expected_result, _.owner_name, _.owner_title, _.rating_comment, _.evaluated_at, _.sent_by
_.registered, _.delivered, _.shared_out, _.scored_at, _.scored_by, _.published_at
_.published_by, _.answered_by, _.answered_at, _.opened_by, _.created_by, _.NOT_MET
# Named by dotted path in settings (error handlers, storage, the axes handler) or by the import
# job (nq57.imports runs the views' import functions); read by libraries: django-axes' handler
# hooks, django-tasks-db's worker flag, the heartbeat's field in lookups, ssl's context options.
_.server_error, _.bad_request, _.csrf_failure, _.PrivateExceptionReporterFilter
_.PrivateExceptionReporter, _.get_post_parameters, _.get_traceback_frame_variables
_.MediaStorage, _.LoginThrottle, _.get_failures, _.reset_user_attempts
_.run_account_import, _.run_figure_import, _.run_task_import
_.running_task, _.beat_at, _.check_hostname, _.verify_mode, _.trust_env
# Locust reads the load test's user classes and their settings by name.
_.Commune, _.StandingOffice, _.wait_time, _.fixed_count, _.on_start, _._end_when_all_done
# Task set-up (issue 13): simple-history's switch for one row per save of a unit group, and the
# task form's model validation left to the services.
_.skip_history_when_saving, _._post_clean
# The homes' and the dashboard's results blocks: read by their templates.
_.contest_open, _.grades
