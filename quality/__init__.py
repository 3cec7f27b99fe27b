"""Quality checks: Great Expectations suites over the marts, findings in ``marts.dq_findings``.

The rules are in ``rules.toml``; :func:`quality.run.run_quality` runs them.
"""
