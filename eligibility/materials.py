"""Materials the household's situation requires (第十七条).

Status is `provided` or `missing` where a field of the household file shows
it (an income proof, a certificate flag, the residence permit). It is
`unknown` where no field shows it, so the receiving union checks it.
Materials are frozen, so equal ones are shared between results.
"""

from collections.abc import Collection, Sequence
from functools import lru_cache

from eligibility.models import Household
from eligibility.result import Material, MaterialStatus, MemberAssessment, create


@lru_cache(maxsize=4096)
def _material(
    code: str,
    label: str,
    article: str,
    status: MaterialStatus = "unknown",
    member_id: str | None = None,
) -> Material:
    return create(
        Material,
        {
            "code": code,
            "label": label,
            "article": article,
            "member_id": member_id,
            "status": status,
        },
    )


_APPLICATION = _material("application", "困难职工申请书", "第十七条")
_HUKOU_BOOK = _material("hukou_book", "户口簿", "第十七条")
_HARDSHIP_PROOF = _material("hardship_proof", "致困证明", "第十七条")


def _status(held: bool) -> MaterialStatus:
    return "provided" if held else "missing"


def required_materials(
    household: Household,
    *,
    counted_ids: Collection[str],
    assessments: Sequence[MemberAssessment],
    migrant: bool,
) -> list[Material]:
    """Build the list of materials for the household's situation.

    `assessments` are the results of `household.members`, in their order.
    """
    applicant = household.applicant
    causes = household.hardship_causes
    event = household.sudden_event
    members = []
    declared_by_member = []
    for member, assessment in zip(household.members, assessments, strict=True):
        if member.id in counted_ids:
            members.append(member)
            declared_by_member.append(assessment.gross_income_declared)

    materials = [
        _APPLICATION,
        _material("id_card", "身份证复印件", "第十七条", "unknown", applicant.member),
        _HUKOU_BOOK,
        _HARDSHIP_PROOF,
    ]
    if applicant.employment == "employed":
        materials.append(
            _material(
                "wage_income_proof",
                "所在单位提供的职工工资收入证明",
                "第十七条、第十二条",
                _status(household.applicant_member().income_proof),
                applicant.member,
            )
        )
    if applicant.employment == "unemployed":
        materials.append(_material("unemployment_proof", "下岗失业证明", "第六条"))
        if applicant.unemployment_benefit:
            materials.append(
                _material("unemployment_benefit_proof", "失业保险金领取证明", "第六条")
            )

    for member, declared in zip(members, declared_by_member, strict=True):
        if member.id == applicant.member:
            continue
        if declared > 0:
            materials.append(
                _material(
                    "member_income_proof",
                    "家庭成员收入证明",
                    "第十条、第十七条",
                    _status(member.income_proof),
                    member.id,
                )
            )
        if member.incapacity_certificate:
            materials.append(
                _material(
                    "incapacity_certificate",
                    "无劳动能力证明",
                    "第十三条",
                    "provided",
                    member.id,
                )
            )
        if member.school_certificate:
            materials.append(
                _material(
                    "school_certificate",
                    "在校证明（注明就读学校及年级）",
                    "第十三条、第十七条（二）",
                    "provided",
                    member.id,
                )
            )

    if "schooling" in causes and not any(m.school_certificate for m in members):
        materials.append(
            _material(
                "school_certificate",
                "在校证明（注明就读学校及年级）",
                "第十七条（二）",
                "missing",
            )
        )
    if household.dibao_certificate:
        materials.append(
            _material(
                "dibao_certificate",
                "户籍地政府部门颁发的《低保证》",
                "第十七条（一）",
                "provided",
            )
        )
    if "illness" in causes:
        materials.append(_material("diagnosis", "医院诊断证明", "第十七条（二）"))
        materials.append(_material("medical_invoices", "医药费发票", "第十七条（二）"))
    if "disability" in causes:
        materials.append(
            _material("disability_certificate", "《残疾证》", "第十七条（二）")
        )
    if event is not None and event.kind == "major_illness":
        materials.append(
            _material(
                "major_illness_diagnosis", "县级以上医院的诊断证明", "第十七条（三）"
            )
        )
        materials.append(
            _material(
                "major_medical_invoices", "近两年内大额医药费发票", "第十七条（三）"
            )
        )
    if event is not None and event.kind == "disaster":
        materials.append(
            _material("disaster_proof", "发生灾害经过的相关证明材料", "第十七条（三）")
        )
    if migrant:
        materials.append(
            _material(
                "residence_permit",
                "务工地《居住证》",
                "第十七条（四）",
                _status(applicant.residence_permit),
                applicant.member,
            )
        )
        materials.append(
            _material(
                "labour_contract",
                "劳动合同或具有事实劳动关系的证明（加盖所在工会组织公章）",
                "第十七条（四）",
                "missing" if applicant.contract_months == 0 else "unknown",
                applicant.member,
            )
        )
    return materials


def missing_codes(materials: list[Material]) -> list[str]:
    """Return `code` or `code:member_id` for every missing material."""
    return [
        f"{item.code}:{item.member_id}" if item.member_id else item.code
        for item in materials
        if item.status == "missing"
    ]
