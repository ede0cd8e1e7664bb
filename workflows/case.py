"""One durable workflow per case, from application to the national-system entry.

Human decisions arrive as updates. Each validator rejects what the case's
step or the actor's union does not allow, so a rejected action leaves no
trace in history. Each handler changes the state before its first await,
so a second, conflicting update cannot pass its validator meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from datetime import datetime, time, timedelta, timezone

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.case_models import (
        CaseSnapshot,
        DeadlineRequest,
        DeadlineResult,
        InboxRequest,
        ProjectionRequest,
    )
    from workflows.case_models import (
        STEP_LABELS_ZH,
        STEP_ORDER,
        Action,
        ActionResult,
        CalendarChanged,
        CaseEvent,
        CaseInput,
        CaseState,
        CaseStatus,
        DataEntry,
        Deadline,
        DemocraticReview,
        InvestigationSignature,
        MaterialAction,
        ObjectionResolution,
        ReturnCase,
        Signature,
        Step,
        StepDecision,
    )
    from workflows.search_attributes import (
        CASE_DUE_AT,
        CASE_FLAGS,
        CASE_STEP,
        CASE_UNION,
    )

# China keeps no daylight saving time, so a fixed offset is exact; ZoneInfo
# objects do not pass the workflow sandbox.
# The event name stays the log message; workflow ids go into the fields.
workflow.logger.workflow_info_on_message = False

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
ACTIVITY_TIMEOUT = timedelta(seconds=30)
MIN_SIGNERS = 2  # 第十八条：2 名（含）以上的工作人员
# Reminders go out from 08:00 on their day, spread over two hours by case id,
# so many cases with the same deadline do not wake at one instant.
REMINDER_START = time(8, 0)
REMINDER_SPREAD_MINUTES = 120

# workflow.patched ids, oldest first. Remove one only after no running or
# saved history lacks it.
PATCH_SEARCH_ATTRIBUTES = "search-attributes-v1"

# Roles that may approve a recognition (第二十一条).
APPROVER_ROLES = frozenset({"approver", "admin"})

# Error types the API maps to HTTP statuses.
STEP_CONFLICT = "step_conflict"  # 409
FORBIDDEN = "forbidden"  # 403
INVALID = "invalid"  # 422


def _reject(kind: str, english: str, chinese: str) -> ApplicationError:
    return ApplicationError(
        english, {"message_zh": chinese}, type=kind, non_retryable=True
    )


@workflow.defn
class CaseWorkflow:
    @workflow.init
    def __init__(self, input: CaseInput) -> None:
        self._input = input
        self._chain = input.chain
        self._timings = input.timings
        self._state = input.state or CaseState(
            case_id=input.case_id, required_materials=list(input.required_materials)
        )
        # Bumped by every change a waiting timer must look at.
        self._version = 0
        self._dirty_seqs: set[int] = set()
        self._pending_calendar_changes: list[CalendarChanged] = []
        self._projection_lock = asyncio.Lock()
        # Increases on each posting, take-down or recognition, so a deadline
        # computed for an older posting is dropped when it returns.
        self._deadline_token = 0
        self._reminder_dates: dict[int, datetime] = {}
        self._search_attributes: tuple[object, ...] = ()

    # ------------------------------------------------------------------ run

    @workflow.run
    async def run(self, input: CaseInput) -> CaseState:
        if input.state is None:
            self._append(
                "case_opened", data={"required_materials": input.required_materials}
            )
            await self._project()
        elif self._state.deadline and self._state.step == Step.data_entry:
            await self._load_reminders(self._state.deadline)

        while (
            self._state.status != CaseStatus.rejected
            and self._state.step != Step.closed
        ):
            await self._apply_calendar_changes()
            await self._wait_for_next_event()
            # Calendar changes received meanwhile are applied before the
            # history is cut, because they are not part of the carried state.
            if not self._pending_calendar_changes and self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    CaseInput(
                        case_id=input.case_id,
                        chain=input.chain,
                        required_materials=input.required_materials,
                        timings=input.timings,
                        state=self._state,
                    )
                )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _wait_for_next_event(self) -> None:
        seen = self._version
        wake_at, on_time = self._next_timer()
        if wake_at is None:
            await workflow.wait_condition(lambda: self._version != seen)
            return
        remaining = wake_at - workflow.now()
        # A timer of zero or negative length is never started: changing a
        # timer to or from zero breaks replay.
        if remaining > timedelta(0):
            try:
                await workflow.wait_condition(
                    lambda: self._version != seen, timeout=remaining
                )
                return
            except TimeoutError:
                pass
        await on_time()

    def _next_timer(self):  # type: ignore[no-untyped-def]
        state = self._state
        deadline = state.deadline
        if state.step == Step.public_notice and deadline and not state.objection_open:
            return deadline.due_at, self._end_notice
        if state.step == Step.data_entry and deadline:
            pending = [
                (at, days)
                for days, at in self._reminder_dates.items()
                if days not in state.entry_reminders_sent
            ]
            if pending:
                at, days = min(pending)
                if at < deadline.due_at:
                    return at, lambda: self._send_entry_reminder(days)
            if not state.entry_overdue_alerted:
                return deadline.due_at, self._alert_entry_overdue
        return None, None

    def _should_continue_as_new(self) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() > self._timings.max_history_events
        )

    # -------------------------------------------------------------- queries

    @workflow.query
    def state(self) -> CaseState:
        return self._state

    # -------------------------------------------------------------- signals

    @workflow.signal
    def calendar_changed(self, change: CalendarChanged) -> None:
        self._pending_calendar_changes.append(change)
        self._touch()

    # ---------------------------------------------------------- application

    @workflow.update
    async def attach_material(self, action: MaterialAction) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._state.materials_present[action.item_code] = action.material_id
        if action.item_code in self._state.materials_rejected:
            self._state.materials_rejected.remove(action.item_code)
        return await self._finish(
            action, "material_attached", {"item_code": action.item_code}
        )

    @attach_material.validator
    def _validate_attach_material(self, action: MaterialAction) -> None:
        if self._seen(action):
            return
        self._require(
            action,
            {Step.application, Step.investigation},
            self._chain.receiving_union_id,
        )

    @workflow.update
    async def reject_material(self, action: MaterialAction) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._state.materials_present.pop(action.item_code, None)
        if action.item_code not in self._state.materials_rejected:
            self._state.materials_rejected.append(action.item_code)
        return await self._finish(
            action, "material_rejected", {"item_code": action.item_code}
        )

    @reject_material.validator
    def _validate_reject_material(self, action: MaterialAction) -> None:
        if self._seen(action):
            return
        self._require(
            action,
            {Step.application, Step.investigation},
            self._chain.receiving_union_id,
        )
        if action.item_code not in self._state.materials_present:
            raise _reject(
                STEP_CONFLICT,
                f"material {action.item_code} is not present, so it cannot be rejected",
                f"材料 {action.item_code} 尚未上传，无法退回",
            )

    @workflow.update
    async def submit_application(self, action: Action) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._move_to(Step.investigation)
        return await self._finish(action, "application_submitted")

    @submit_application.validator
    def _validate_submit_application(self, action: Action) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.application}, self._chain.receiving_union_id)
        missing = self.missing_materials()
        if missing:
            raise _reject(
                STEP_CONFLICT,
                "required materials are missing (第十七条): " + ", ".join(missing),
                "缺少第十七条要求的材料：" + "、".join(missing),
            )

    def missing_materials(self) -> list[str]:
        present = self._state.materials_present
        return [code for code in self._state.required_materials if code not in present]

    # -------------------------------------------------------- investigation

    @workflow.update
    async def sign_investigation(self, action: InvestigationSignature) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._state.signatures.append(
            Signature(
                staff_id=action.actor.staff_id,
                visited_on=action.visited_on,
                request_id=action.request_id,
            )
        )
        return await self._finish(
            action,
            "investigation_signed",
            {"visited_on": action.visited_on.isoformat()},
        )

    @sign_investigation.validator
    def _validate_sign_investigation(self, action: InvestigationSignature) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.investigation}, self._chain.receiving_union_id)
        if action.visited_on > self._today():
            raise _reject(
                INVALID,
                f"visited_on {action.visited_on} is in the future; "
                "give the date of the visit",
                f"入户日期 {action.visited_on} 晚于今天，请填写实际入户日期",
            )
        opened_on = self._state.events[0].at.astimezone(SHANGHAI).date()
        if action.visited_on < opened_on:
            raise _reject(
                INVALID,
                f"visited_on {action.visited_on} is before the case was opened "
                f"on {opened_on}; give the date of the home visit for this case",
                f"入户日期 {action.visited_on} 早于受理日期 {opened_on}",
            )
        if action.actor.staff_id in self._signer_ids():
            raise _reject(
                STEP_CONFLICT,
                f"staff {action.actor.staff_id} has already signed this investigation",
                f"工作人员 {action.actor.staff_id} 已签字，每人只签一次",
            )

    def _signer_ids(self) -> set[str]:
        return {s.staff_id for s in self._state.signatures if not s.void}

    @workflow.update
    async def complete_investigation(self, action: Action) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._move_to(Step.democratic_review)
        return await self._finish(
            action, "investigation_completed", {"signers": len(self._signer_ids())}
        )

    @complete_investigation.validator
    def _validate_complete_investigation(self, action: Action) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.investigation}, self._chain.receiving_union_id)
        signers = len(self._signer_ids())
        if signers < MIN_SIGNERS:
            raise _reject(
                STEP_CONFLICT,
                f"the investigation has {signers} signature(s); 第十八条 requires "
                f"at least {MIN_SIGNERS} different staff",
                f"入户调查仅有 {signers} 人签字，第十八条要求 2 名（含）以上工作人员",
            )
        missing = self.missing_materials()
        if missing:
            raise _reject(
                STEP_CONFLICT,
                "required materials are missing (第十七条): " + ", ".join(missing),
                "缺少第十七条要求的材料：" + "、".join(missing),
            )

    # ---------------------------------------------------- democratic review

    @workflow.update
    async def record_democratic_review(self, action: DemocraticReview) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        data = {
            "passed": action.passed,
            "votes_for": action.votes_for,
            "votes_against": action.votes_against,
            "abstained": action.abstained,
        }
        if action.passed:
            self._move_to(Step.public_notice)
            return await self._finish(action, "democratic_review_passed", data)
        self._close_rejected()
        return await self._finish(action, "democratic_review_failed", data)

    @record_democratic_review.validator
    def _validate_democratic_review(self, action: DemocraticReview) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.democratic_review}, self._chain.receiving_union_id)

    # --------------------------------------------------------- public notice

    @workflow.update
    async def post_notice(self, action: Action) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        result = self._start_posting(action, "notice_posted")
        await self._compute_notice_deadline()
        return await self._finish_recorded(result)

    @post_notice.validator
    def _validate_post_notice(self, action: Action) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.public_notice}, self._chain.receiving_union_id)
        if self._state.notice_posted_at is not None:
            raise _reject(
                STEP_CONFLICT,
                "the public notice is already posted",
                "公示已张贴",
            )

    @workflow.update
    async def file_objection(self, action: Action) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        state = self._state
        state.objection_open = True
        state.notice_posted_at = None
        old = state.deadline
        state.deadline = None
        self._deadline_token += 1
        data = {"notice_ended_on_schedule": old.ends_on.isoformat() if old else None}
        return await self._finish(action, "notice_taken_down_for_objection", data)

    @file_objection.validator
    def _validate_file_objection(self, action: Action) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.public_notice}, self._chain.receiving_union_id)
        if self._state.objection_open:
            raise _reject(
                STEP_CONFLICT,
                "an objection is already open; resolve it before filing another",
                "已有待处理的异议，请先处理该异议",
            )
        if self._state.notice_posted_at is None:
            raise _reject(
                STEP_CONFLICT,
                "no public notice is posted, so no objection can be filed against it",
                "当前没有张贴中的公示，无法登记异议",
            )

    @workflow.update
    async def resolve_objection(self, action: ObjectionResolution) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        self._state.objection_open = False
        if action.upheld:
            self._close_rejected()
            return await self._finish(action, "objection_upheld")
        # Product decision: a notice interrupted by an objection resolved in
        # the household's favour is posted again for a full period.
        result = self._start_posting(action, "objection_dismissed_notice_reposted")
        await self._compute_notice_deadline()
        return await self._finish_recorded(result)

    @resolve_objection.validator
    def _validate_resolve_objection(self, action: ObjectionResolution) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.public_notice}, self._chain.receiving_union_id)
        if not self._state.objection_open:
            raise _reject(
                STEP_CONFLICT,
                "no objection is open on this case",
                "本案没有待处理的异议",
            )

    def _start_posting(self, action: Action, kind: str) -> ActionResult:
        state = self._state
        state.notice_posted_at = workflow.now()
        state.notice_postings += 1
        state.deadline = None
        self._deadline_token += 1
        return self._record(action, kind, {"posting": state.notice_postings})

    async def _compute_notice_deadline(self) -> None:
        token = self._deadline_token
        posted_at = self._state.notice_posted_at
        assert posted_at is not None
        result = await self._deadline(
            "public_notice", posted_at, self._timings.notice_working_days, []
        )
        if token == self._deadline_token:
            self._state.deadline = result.deadline
            self._append(
                "deadline_set",
                data=_deadline_data(result.deadline),
            )
            self._touch()

    async def _end_notice(self) -> None:
        deadline = self._state.deadline
        assert deadline is not None
        self._state.notice_posted_at = None
        self._state.deadline = None
        self._append(
            "notice_period_ended", data={"ended_on": deadline.ends_on.isoformat()}
        )
        self._move_to(Step.review if self._chain.review_union_id else Step.recheck)
        await self._project()

    # -------------------------------------------- review, re-check, recognition

    @workflow.update
    async def review(self, action: StepDecision) -> ActionResult:
        return await self._decide(action, Step.recheck)

    @review.validator
    def _validate_review(self, action: StepDecision) -> None:
        self._validate_decision(action, Step.review, self._chain.review_union_id)

    @workflow.update
    async def recheck(self, action: StepDecision) -> ActionResult:
        return await self._decide(action, Step.recognition)

    @recheck.validator
    def _validate_recheck(self, action: StepDecision) -> None:
        self._validate_decision(action, Step.recheck, self._chain.recheck_union_id)

    @workflow.update
    async def recognise(self, action: StepDecision) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        if action.decision != "approve":
            result = await self._decide(action, Step.data_entry)
            if action.decision == "reject":
                await self._notify_result(approved=False)
            return result
        state = self._state
        state.status = CaseStatus.recognised
        state.recognised_at = workflow.now()
        self._move_to(Step.data_entry)
        self._deadline_token += 1
        result = self._record(action, "recognised")
        token = self._deadline_token
        computed = await self._deadline(
            "data_entry",
            state.recognised_at,
            self._timings.entry_working_days,
            self._timings.entry_reminder_working_days,
        )
        if token == self._deadline_token and state.step == Step.data_entry:
            state.deadline = computed.deadline
            self._set_reminders(computed)
            self._append("deadline_set", data=_deadline_data(computed.deadline))
            self._touch()
        await self._notify_result(approved=True)
        return await self._finish_recorded(result)

    @recognise.validator
    def _validate_recognise(self, action: StepDecision) -> None:
        self._validate_decision(
            action, Step.recognition, self._chain.authority_union_id
        )
        if self._seen(action):
            return
        if action.decision == "approve" and action.actor.role not in APPROVER_ROLES:
            raise _reject(
                FORBIDDEN,
                f"staff {action.actor.staff_id} has role {action.actor.role}; "
                "recognition needs an approver",
                "批准认定须由审批人办理",
            )

    def _validate_decision(
        self, action: StepDecision, step: Step, union_id: str | None
    ) -> None:
        if self._seen(action):
            return
        self._require(action, {step}, union_id)
        if action.decision == "return":
            self._check_return_target(action.return_to)
        elif action.return_to is not None:
            raise _reject(
                INVALID,
                f"return_to is given but the decision is {action.decision}; "
                "send decision 'return' or leave return_to out",
                "只有“退回”决定可以指定退回环节",
            )

    async def _decide(self, action: StepDecision, next_step: Step) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        step = self._state.step
        data: dict[str, object] = {
            "decision": action.decision,
            "site_check": action.site_check,
        }
        if action.decision == "approve":
            self._move_to(next_step)
            return await self._finish(action, f"{step.value}_approved", data)
        if action.decision == "reject":
            self._close_rejected()
            return await self._finish(action, f"{step.value}_rejected", data)
        assert action.return_to is not None
        data["return_to"] = action.return_to.value
        result = self._record(action, f"{step.value}_returned", data)
        self._return_to(action.return_to, result.event_seq)
        return await self._finish_recorded(result)

    async def _notify_result(self, *, approved: bool) -> None:
        title = (
            "困难职工认定结果：已批准认定" if approved else "困难职工认定结果：不予认定"
        )
        recipients = [("union", union_id) for union_id in self._chain.lower_union_ids]
        recipients.append(("worker", self._state.case_id))
        for recipient_kind, recipient_id in recipients:
            await workflow.execute_activity(
                "send_inbox_entry",
                InboxRequest(
                    dedup_key=f"{self._state.case_id}:result:{self._seq()}:{recipient_id}",
                    recipient_kind=recipient_kind,  # type: ignore[arg-type]
                    recipient_id=recipient_id,
                    case_id=self._state.case_id,
                    kind="result",
                    step=Step.recognition,
                    title=title,
                    now=workflow.now(),
                ),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
            )

    # ----------------------------------------------------------- data entry

    @workflow.update
    async def record_entry(self, action: DataEntry) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        state = self._state
        state.national_archive_number = action.national_archive_number
        state.status = CaseStatus.entered
        deadline = state.deadline
        late = bool(deadline and workflow.now() >= deadline.due_at)
        state.deadline = None
        self._move_to(Step.assistance)
        return await self._finish(
            action,
            "entered_in_national_system",
            {"national_archive_number": action.national_archive_number, "late": late},
        )

    @record_entry.validator
    def _validate_record_entry(self, action: DataEntry) -> None:
        if self._seen(action):
            return
        self._require(action, {Step.data_entry}, self._chain.authority_union_id)

    def _set_reminders(self, computed: DeadlineResult) -> None:
        offset = _spread_minutes(self._state.case_id)
        self._reminder_dates = {
            days: datetime.combine(day, REMINDER_START, tzinfo=SHANGHAI) + offset
            for days, day in computed.reminder_dates.items()
        }

    async def _load_reminders(self, deadline: Deadline) -> None:
        # Reminder instants are derived again after continue-as-new.
        recognised_at = self._state.recognised_at or workflow.now()
        computed = await self._deadline(
            "data_entry",
            recognised_at,
            deadline.working_days,
            self._timings.entry_reminder_working_days,
        )
        self._set_reminders(computed)

    async def _send_entry_reminder(self, days_before: int) -> None:
        deadline = self._state.deadline
        assert deadline is not None
        self._state.entry_reminders_sent.append(days_before)
        self._append(
            "entry_reminder_sent",
            data={
                "working_days_before": days_before,
                "due_on": deadline.ends_on.isoformat(),
            },
        )
        await self._send_deadline_entry("reminder", deadline, f"reminder-{days_before}")
        await self._project()

    async def _alert_entry_overdue(self) -> None:
        deadline = self._state.deadline
        assert deadline is not None
        self._state.entry_overdue_alerted = True
        self._append("entry_overdue", data={"due_on": deadline.ends_on.isoformat()})
        await self._send_deadline_entry("overdue", deadline, "overdue")
        await self._project()

    async def _send_deadline_entry(
        self, kind: str, deadline: Deadline, key: str
    ) -> None:
        label = "提醒" if kind == "reminder" else "已逾期"
        await workflow.execute_activity(
            "send_inbox_entry",
            InboxRequest(
                dedup_key=f"{self._state.case_id}:data_entry:{deadline.ends_on}:{key}",
                recipient_kind="union",
                recipient_id=self._chain.authority_union_id,
                case_id=self._state.case_id,
                kind=kind,  # type: ignore[arg-type]
                step=Step.data_entry,
                deadline_kind="data_entry",
                due_at=deadline.due_at,
                title=(
                    f"录入全国工会帮扶工作管理系统{label}"
                    f"（第二十二条，{deadline.ends_on} 截止）"
                ),
                now=workflow.now(),
            ),
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )

    # ------------------------------------------------- return and rejection

    @workflow.update
    async def return_case(self, action: ReturnCase) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        step = self._state.step
        result = self._record(
            action, "returned", {"from": step.value, "to": action.to_step.value}
        )
        self._return_to(action.to_step, result.event_seq)
        return await self._finish_recorded(result)

    @return_case.validator
    def _validate_return_case(self, action: ReturnCase) -> None:
        if self._seen(action):
            return
        self._require(action, set(STEP_ORDER[:7]), self._responsible_union())
        self._check_return_target(action.to_step)

    @workflow.update
    async def reject_case(self, action: Action) -> ActionResult:
        if (done := self._applied(action)) is not None:
            return done
        step = self._state.step
        self._close_rejected()
        result = await self._finish(action, "rejected", {"at_step": step.value})
        if step == Step.recognition:
            await self._notify_result(approved=False)
        return result

    @reject_case.validator
    def _validate_reject_case(self, action: Action) -> None:
        if self._seen(action):
            return
        self._require(action, set(STEP_ORDER[:7]), self._responsible_union())

    def _check_return_target(self, target: Step | None) -> None:
        current = STEP_ORDER.index(self._state.step)
        if (
            target is None
            or target not in STEP_ORDER
            or STEP_ORDER.index(target) >= current
        ):
            raise _reject(
                INVALID,
                f"return_to must be a step before {self._state.step.value}, got "
                f"{target.value if target else 'nothing'}",
                f"退回目标须为“{STEP_LABELS_ZH[self._state.step]}”之前的环节",
            )
        if target == Step.review and self._chain.review_union_id is None:
            raise _reject(
                INVALID,
                "this case's chain has no review union, so it cannot return to review",
                "本案所属工会链上没有审核单位，不能退回审核环节",
            )

    def _return_to(self, target: Step, by_seq: int) -> None:
        """Void everything recorded at the target step or after it."""
        target_index = STEP_ORDER.index(target)
        for event in self._state.events:
            if event.seq == by_seq or event.voided_by_seq is not None:
                continue
            if (
                event.step in STEP_ORDER
                and STEP_ORDER.index(event.step) >= target_index
            ):
                if event.kind in (
                    "case_opened",
                    "material_attached",
                    "material_rejected",
                ):
                    continue
                event.voided_by_seq = by_seq
                self._dirty_seqs.add(event.seq)
        state = self._state
        if target_index <= STEP_ORDER.index(Step.investigation):
            for signature in state.signatures:
                signature.void = True
        state.notice_posted_at = None
        state.objection_open = False
        state.deadline = None
        self._deadline_token += 1
        if state.status == CaseStatus.recognised:
            state.status = CaseStatus.open
            state.recognised_at = None
        self._move_to(target)

    def _close_rejected(self) -> None:
        state = self._state
        state.status = CaseStatus.rejected
        state.deadline = None
        state.notice_posted_at = None
        self._deadline_token += 1
        self._move_to(Step.closed)

    # ------------------------------------------------------------- calendar

    async def _apply_calendar_changes(self) -> None:
        while self._pending_calendar_changes:
            change = self._pending_calendar_changes.pop(0)
            old = self._state.deadline
            if old is None:
                continue
            token = self._deadline_token
            reminders = (
                self._timings.entry_reminder_working_days
                if old.kind == "data_entry"
                else []
            )
            anchor = datetime.combine(old.anchor, time(12, 0), tzinfo=SHANGHAI)
            computed = await self._deadline(
                old.kind, anchor, old.working_days, reminders
            )
            if token != self._deadline_token or self._state.deadline is None:
                continue
            new = computed.deadline
            if new.ends_on == old.ends_on and new.provisional == old.provisional:
                continue
            self._state.deadline = new
            if old.kind == "data_entry":
                self._set_reminders(computed)
            self._append(
                "deadline_recomputed",
                data={
                    "change_id": change.change_id,
                    "kind": old.kind,
                    "old_ends_on": old.ends_on.isoformat(),
                    "new_ends_on": new.ends_on.isoformat(),
                    "provisional": new.provisional,
                    "reason": "calendar_changed",
                },
            )
            await self._project()

    async def _deadline(
        self, kind: str, start: datetime, working_days: int, reminders: list[int]
    ) -> DeadlineResult:
        return await workflow.execute_activity(
            "compute_deadline",
            DeadlineRequest(
                kind=kind,  # type: ignore[arg-type]
                anchor=start.astimezone(SHANGHAI).date(),
                working_days=working_days,
                reminder_working_days=reminders,
                computed_at=workflow.now(),
            ),
            result_type=DeadlineResult,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
        )

    # -------------------------------------------------------------- helpers

    def _seen(self, action: Action) -> bool:
        return action.request_id in self._state.applied

    def _applied(self, action: Action) -> ActionResult | None:
        return self._state.applied.get(action.request_id)

    def _require(self, action: Action, steps: set[Step], union_id: str | None) -> None:
        state = self._state
        if state.status == CaseStatus.rejected or state.step == Step.closed:
            raise _reject(STEP_CONFLICT, "the case is closed", "本案已结束")
        if state.step not in steps:
            allowed = "、".join(STEP_LABELS_ZH[s] for s in STEP_ORDER if s in steps)
            raise _reject(
                STEP_CONFLICT,
                f"the case is at step {state.step.value}; this action is allowed at "
                + ", ".join(s.value for s in STEP_ORDER if s in steps),
                f"本案当前处于“{STEP_LABELS_ZH[state.step]}”环节，此操作仅限于：{allowed}",
            )
        if union_id is None or action.actor.union_id != union_id:
            raise _reject(
                FORBIDDEN,
                f"staff {action.actor.staff_id} of union {action.actor.union_id} may "
                f"not act at step {state.step.value}; union {union_id} is responsible",
                f"该工作人员所属工会无权办理“{STEP_LABELS_ZH[state.step]}”环节，"
                f"应由 {union_id} 办理",
            )

    def _responsible_union(self) -> str | None:
        step = self._state.step
        if step == Step.review:
            return self._chain.review_union_id
        if step == Step.recheck:
            return self._chain.recheck_union_id
        if step in (Step.recognition, Step.data_entry):
            return self._chain.authority_union_id
        return self._chain.receiving_union_id

    def _today(self):  # type: ignore[no-untyped-def]
        return workflow.now().astimezone(SHANGHAI).date()

    def _seq(self) -> int:
        return len(self._state.events)

    def _append(
        self,
        kind: str,
        *,
        action: Action | None = None,
        data: Mapping[str, object] | None = None,
    ) -> CaseEvent:
        event = CaseEvent(
            seq=self._seq() + 1,
            kind=kind,
            step=self._state.step,
            at=workflow.now(),
            actor_id=action.actor.staff_id if action else None,
            request_id=action.request_id if action else None,
            data=dict(data or {}),
        )
        self._state.events.append(event)
        self._touch()
        return event

    def _record(
        self, action: Action, kind: str, data: Mapping[str, object] | None = None
    ) -> ActionResult:
        event = self._append(kind, action=action, data=data)
        result = ActionResult(
            case_id=self._state.case_id,
            request_id=action.request_id,
            step=self._state.step,
            status=self._state.status,
            event_seq=event.seq,
        )
        self._state.applied[action.request_id] = result
        return result

    async def _finish(
        self, action: Action, kind: str, data: Mapping[str, object] | None = None
    ) -> ActionResult:
        return await self._finish_recorded(self._record(action, kind, data))

    async def _finish_recorded(self, result: ActionResult) -> ActionResult:
        # The stored result reports the state after the whole action.
        final = result.model_copy(
            update={"step": self._state.step, "status": self._state.status}
        )
        self._state.applied[result.request_id] = final
        await self._project()
        return final

    def _move_to(self, step: Step) -> None:
        if self._state.step != step:
            workflow.logger.info(
                "case_step_entered",
                extra={
                    "case_id": self._state.case_id,
                    "from_step": self._state.step.value,
                    "to_step": step.value,
                },
            )
            self._append(
                "step_entered", data={"from": self._state.step.value, "to": step.value}
            )
            # The entered event belongs to the new step, so a return to it voids it.
            self._state.events[-1].step = step
            self._state.step = step
        self._touch()

    def _touch(self) -> None:
        self._version += 1

    def _upsert_search_attributes(self) -> None:
        state = self._state
        union = self._responsible_union() or self._chain.receiving_union_id
        deadline = state.deadline
        flags = []
        if deadline and deadline.provisional:
            flags.append("provisional")
        if state.objection_open:
            flags.append("objection_open")
        if state.entry_overdue_alerted and state.step == Step.data_entry:
            flags.append("overdue")
        desired = (
            state.step.value,
            union,
            deadline.due_at if deadline else None,
            *flags,
        )
        if desired == self._search_attributes:
            return
        self._search_attributes = desired
        workflow.upsert_search_attributes(
            [
                CASE_STEP.value_set(state.step.value),
                CASE_UNION.value_set(union),
                CASE_DUE_AT.value_set(deadline.due_at)
                if deadline
                else CASE_DUE_AT.value_unset(),
                CASE_FLAGS.value_set(flags),
            ]
        )

    async def _project(self) -> None:
        # Histories recorded before search attributes were kept have no
        # upsert commands, so they replay without them.
        if workflow.patched(PATCH_SEARCH_ATTRIBUTES):
            self._upsert_search_attributes()
        async with self._projection_lock:
            state = self._state
            new = [
                e
                for e in state.events
                if e.seq > state.projected_seq or e.seq in self._dirty_seqs
            ]
            if not new:
                return
            upto = state.events[-1].seq
            self._dirty_seqs.clear()
            entered = next(
                (
                    e.at
                    for e in reversed(state.events)
                    if e.kind in ("step_entered", "case_opened")
                ),
                workflow.now(),
            )
            await workflow.execute_activity(
                "project_case",
                ProjectionRequest(
                    case_id=state.case_id,
                    events=new,
                    snapshot=CaseSnapshot(
                        step=state.step,
                        status=state.status,
                        responsible_union_id=self._responsible_union()
                        or self._chain.receiving_union_id,
                        step_started_at=entered,
                        deadline=state.deadline,
                        national_archive_number=state.national_archive_number,
                        updated_at=workflow.now(),
                    ),
                    snapshot_seq=upto,
                ),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
            )
            state.projected_seq = max(state.projected_seq, upto)


def _deadline_data(deadline: Deadline) -> dict[str, object]:
    return {
        "kind": deadline.kind,
        "anchor": deadline.anchor.isoformat(),
        "working_days": deadline.working_days,
        "ends_on": deadline.ends_on.isoformat(),
        "due_at": deadline.due_at.isoformat(),
        "provisional": deadline.provisional,
    }


def _spread_minutes(case_id: str) -> timedelta:
    digest = hashlib.sha256(case_id.encode()).digest()
    return timedelta(
        minutes=int.from_bytes(digest[:2], "big") % REMINDER_SPREAD_MINUTES
    )
