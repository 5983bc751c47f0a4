"""Shared test constants (imported by conftest and tests; no test code runs in production)."""

from datetime import datetime
from zoneinfo import ZoneInfo

# Every test starts at 02/10/2025 09:00, the day the Q3/2025 report was signed.
NOW = datetime(2025, 10, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# Tests that read the loaded demo run after its Q4/2025 task events (see conftest `demo_data`).
DEMO_CLOCK = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
