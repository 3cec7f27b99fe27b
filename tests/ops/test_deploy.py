"""The scheduling files in deploy/ run commands the CLI really accepts."""

from __future__ import annotations

import configparser
import shlex

from jixiao.cli import build_parser
from jixiao.paths import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def jixiao_args(command: str) -> list[str]:
    words = shlex.split(command)
    start = next(i for i, w in enumerate(words) if w.endswith("/jixiao") or w == "jixiao")
    end = next((i for i, w in enumerate(words) if w in (">>", ";", "|", "&&")), len(words))
    return words[start + 1 : end]


def test_service_runs_a_real_build_command():
    service = unit("jixiao-build.service")["Service"]
    args = build_parser().parse_args(jixiao_args(service["ExecStart"]))
    assert args.command == "build" and args.wait
    assert service["SuccessExitStatus"] == "1"  # built, some input rejected


def test_timer_triggers_the_service_nightly():
    timer = unit("jixiao-build.timer")["Timer"]
    assert timer["Unit"] == "jixiao-build.service"
    assert timer["OnCalendar"].endswith("02:30:00")


def test_cron_line_runs_the_same_command_at_the_same_time():
    line = next(l for l in (DEPLOY / "crontab").read_text().splitlines() if l and not l.startswith("#"))
    minute, hour, *_ = line.split()
    assert (minute, hour) == ("30", "2")
    args = build_parser().parse_args(jixiao_args(line.split(None, 5)[5].split("&&", 1)[1]))
    assert args.command == "build" and args.wait
