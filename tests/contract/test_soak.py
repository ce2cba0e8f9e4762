"""The fault soak, short: tasks through the app's tracker and library while 10% of API requests fail and the
server restarts half-way (bench/soak.py runs the full 100)."""

from bench.soak import soak


def test_a_short_fault_soak_loses_nothing_and_charges_once(tmp_path):
    report = soak(tmp_path, tasks=12, fault_rate=0.1, song_seconds=10, concurrent=4, deadline_seconds=300)
    assert report.restarts == 1
    assert report.completed + report.failed + report.refused == 12, report.lines()
    assert report.lost == 0 and report.charged_twice == 0, report.lines()
    assert report.library_credits == report.server_used, report.lines()
    assert report.cached == report.completed, report.lines()
    assert report.healthy
