"""Property tests: monotonicity of categories and member-order invariance."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import Household, assess
from tests.eligibility.builders import household, member

CENTS = st.integers(min_value=0, max_value=12_000_000).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
CAUSES = st.lists(
    st.sampled_from(["illness", "schooling", "disability", "single_parent", "other"]),
    unique=True,
    max_size=2,
)


@st.composite
def members(draw):
    count = draw(st.integers(min_value=1, max_value=5))
    records = []
    for index in range(count):
        birth = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 1, 1)))
        sex = draw(st.sampled_from(["male", "female"]))
        records.append(
            member(
                f"m{index + 1}",
                relation="self" if index == 0 else "other",
                sex=sex,
                birth_date=birth,
                wages=str(draw(CENTS)),
                incapacity_certificate=draw(st.booleans()),
                school_certificate=draw(st.booleans()),
                farming_at_home=draw(st.booleans()),
                income_proof=draw(st.booleans()),
                same_hukou=draw(st.booleans()) or index == 0,
                excluded_status=None
                if index == 0
                else draw(st.sampled_from([None, None, "conscript", "missing"])),
                annual={
                    "transfer": str(draw(CENTS)),
                    "social_security": str(draw(CENTS) / 10),
                },
            )
        )
    return records


@st.composite
def households(draw):
    event = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda kind, expenses: {"kind": kind, "expenses": str(expenses)},
                st.sampled_from(["accident", "major_illness", "disaster"]),
                CENTS,
            ),
        )
    )
    data = household(
        draw(members()),
        dibao_certificate=draw(st.booleans()),
        government_assistance=draw(st.booleans()),
        months_below_dibao=draw(st.integers(min_value=0, max_value=24)),
        hardship_causes=draw(CAUSES),
        special_expenses=str(draw(CENTS)),
        sudden_event=event,
    )
    data["applicant"]["hukou"] = draw(st.sampled_from(["urban", "rural"]))
    return Household.model_validate(data)


def _with_wages(source: Household, index: int, extra: Decimal) -> Household:
    records = list(source.members)
    target = records[index]
    annual = target.annual.model_copy(update={"wages": target.annual.wages + extra})
    records[index] = target.model_copy(update={"annual": annual})
    return source.model_copy(update={"members": records})


def _met(result, number):
    return result.category_results[number - 1].met


@settings(max_examples=200, deadline=None)
@given(households(), st.data(), CENTS)
def test_more_wages_never_add_category_1_or_2(source, data, extra):
    before = assess(source)
    counted = [item.id for item in before.members if item.counted]
    member_id = data.draw(st.sampled_from(counted))
    index = [item.id for item in source.members].index(member_id)
    after = assess(_with_wages(source, index, extra))
    for number in (1, 2):
        assert _met(after, number) <= _met(before, number), number


@settings(max_examples=200, deadline=None)
@given(households(), CENTS)
def test_more_expenses_keep_category_3(source, extra):
    before = assess(source)
    raised = source.model_copy(
        update={"special_expenses": source.special_expenses + extra}
    )
    after = assess(raised)
    assert _met(after, 3) >= _met(before, 3)


@settings(max_examples=200, deadline=None)
@given(households(), st.randoms(use_true_random=False))
def test_member_order_irrelevant(source, random):
    records = list(source.members)
    random.shuffle(records)
    shuffled = source.model_copy(update={"members": records})
    before = assess(source)
    after = assess(shuffled)
    assert after.expected_view() == before.expected_view()
    assert after.income == before.income
    assert after.category_results == before.category_results
    assert after.scope_checks == before.scope_checks
    assert sorted(after.materials_missing) == sorted(before.materials_missing)
