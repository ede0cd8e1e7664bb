"""Drive one household file through the whole procedure on the simulated clock.

Start the service first with `./scripts/run --simulated`, then run
    .venv/bin/python scripts/walkthrough.py [HOUSEHOLD_FILE]
Every step goes through the same HTTP endpoints a caseworker uses. The
script prints each step and the case's state after it, and exits 1 with the
API's error when a step is rejected.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_HOUSEHOLD = (
    REPO_ROOT.parent / "shared" / "cases" / "households" / "01-dibao-household.json"
)
# Demo unions and staff that simulated mode seeds at every start.
RECEIVING_UNION = "u-gr-town"
CASEWORKERS = ("s-gr-town-cw1", "s-gr-town-cw2")
TOWNSHIP_REVIEWER = "s-town-a-rv"
COUNTY_APPROVER = "s-county-a-ap"
# A small valid PNG replaces each scanned document.
SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class StepFailed(Exception):
    pass


class Walkthrough:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise StepFailed(
                f"{method} {path} failed with {response.status_code}: {response.text}"
            )
        result: dict[str, Any] = response.json()
        return result

    def act(self, case_id: str, path: str, actor: str, **fields: Any) -> None:
        body = {"request_id": uuid.uuid4().hex, "actor_id": actor, **fields}
        self.call("POST", f"/api/v1/cases/{case_id}/{path}", json=body)

    def show(self, case_id: str, title: str) -> dict[str, Any]:
        case = self.call("GET", f"/api/v1/cases/{case_id}")
        deadline = case["deadline"]
        due = ""
        if deadline:
            provisional = "，临时" if deadline["provisional"] else ""
            due = f"  截止 {deadline['due_on']}（{deadline['kind']}{provisional}）"
        print(f"{title:<28} 环节：{case['step_label']:<6} 状态：{case['status']}{due}")
        return case

    def advance_past_deadline(self, case_id: str) -> None:
        case = self.call("GET", f"/api/v1/cases/{case_id}")
        until = case["deadline"]["due_at"]
        clock = self.call("POST", "/api/v1/admin/clock/advance", json={"until": until})
        # A minute more, so the timer due at that instant has fired.
        clock = self.call(
            "POST", "/api/v1/admin/clock/advance", json={"duration": "PT1M"}
        )
        print(f"{'模拟时钟推进到':<28} {clock['now']}")

    def run(self, household: dict[str, Any]) -> str:
        clock = self.call("GET", "/api/v1/admin/clock")
        if not clock["simulated"]:
            raise StepFailed(
                "the service is not in simulated mode; start ./scripts/run --simulated"
            )
        today = clock["now"][:10]
        print(f"{'模拟时钟':<28} {clock['now']}")

        created = self.call(
            "POST",
            "/api/v1/cases",
            json={
                "request_id": uuid.uuid4().hex,
                "actor_id": CASEWORKERS[0],
                "receiving_union_id": RECEIVING_UNION,
                "declaration": {
                    "signed_on": today,
                    "signed_by_member": household["applicant"]["member"],
                    "truthful": True,
                },
                "household": household,
            },
        )
        case_id = created["id"]
        verdict = f"评估结论 {created['verdict']}，类别 {created['categories']}"
        print(f"{'申请已登记':<28} 案件 {case_id}，{verdict}")

        for item in created["missing_materials"]:
            self.call(
                "POST",
                f"/api/v1/cases/{case_id}/materials/{item}",
                files={"file": (f"{item}.png", SCAN, "image/png")},
                data={"request_id": uuid.uuid4().hex, "actor_id": CASEWORKERS[0]},
            )
        self.show(case_id, f"上传材料 {len(created['missing_materials'])} 项")
        self.act(case_id, "application/submit", CASEWORKERS[0])
        self.show(case_id, "提交申请（第十七条）")

        for staff in CASEWORKERS:
            self.act(
                case_id,
                "investigation/signatures",
                staff,
                visited_on=today,
                note="入户核实家庭收入、财产与申报一致",
            )
        self.act(case_id, "investigation/complete", CASEWORKERS[0])
        self.show(case_id, "入户调查两人签字（第十八条）")

        self.act(
            case_id,
            "democratic-review",
            CASEWORKERS[0],
            passed=True,
            votes_for=11,
            votes_against=0,
        )
        self.show(case_id, "民主评议通过（第十九条）")
        self.act(case_id, "notice/post", CASEWORKERS[0])
        self.show(case_id, "张贴公示（第十九条）")
        self.advance_past_deadline(case_id)
        self.show(case_id, "公示期满")

        self.act(
            case_id, "review", TOWNSHIP_REVIEWER, decision="approve", site_check=True
        )
        self.show(case_id, "乡镇工会审核（第二十条）")
        self.act(case_id, "recheck", COUNTY_APPROVER, decision="approve")
        self.show(case_id, "县职工服务中心复核")
        self.act(case_id, "recognition", COUNTY_APPROVER, decision="approve")
        self.show(case_id, "批准认定（第二十一条）")

        self.call("POST", "/api/v1/admin/clock/advance", json={"duration": "P7D"})
        self.act(
            case_id,
            "entry",
            COUNTY_APPROVER,
            national_archive_number=f"130000-{today[:4]}-{case_id[-6:]}",
        )
        case = self.show(case_id, "录入全国系统（第二十二条）")
        inbox = self.call("GET", "/api/v1/inbox", params={"recipient_id": case_id})
        print(f"{'职工收到的通知':<28} {[item['title'] for item in inbox['items']]}")
        print(f"{'案件历史记录':<28} {len(case['history'])} 条")
        return case_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("household", nargs="?", type=Path, default=DEFAULT_HOUSEHOLD)
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="API base URL")
    args = parser.parse_args(argv)

    household = json.loads(args.household.read_text(encoding="utf-8"))
    household.pop("expected", None)
    with httpx.Client(base_url=args.api, timeout=60) as client:
        try:
            Walkthrough(client).run(household)
        except StepFailed as exc:
            print(f"walkthrough stopped: {exc}", file=sys.stderr)
            return 1
        except httpx.HTTPError as exc:
            print(f"the API at {args.api} did not respond: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
