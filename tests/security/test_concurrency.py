"""Nothing typed is lost when two people act at the same moment (issue 8, "Nothing lost").

Each test runs two real transactions at once on PostgreSQL: every thread has its own database
connection, opens its transaction, and waits at a barrier until the other is inside its own too;
only then do both act. Row locks (`select_for_update()`) must serialise them so that the second
sees what the first committed: one colleague's audit answers are never silently overwritten by
another's, two advisers changing one action cannot leave it in a state neither chose, and two
people taking the last training place cannot both get it.

SQLite serialises every write on the whole database, so these would prove nothing there: they
skip, with the reason. CI runs the suite on PostgreSQL, where they run."""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from learning_hub import booking as booking_services
from learning_hub.models import Booking, TrainingSession
from portal.models import User
from portal.roles import Role
from qpag.models import QpagPack
from qpag.services_packs import PackConflict, pack_narrative_save
from schools import services, services_plans
from schools.models import Action, ActionPlan, Answer, AuditReturn, ExtensionRequest, Section
from schools.selectors import sections_for_return
from tests.factories import UserFactory
from tests.learning_hub.conftest import hub, make_session  # noqa: F401 - `hub` is a fixture used here
from tests.schools import helpers
from tests.schools.conftest import build_questionnaire, member

# serialized_rollback: put back the data migrations' rows (roles, themes, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"Concurrency tests need PostgreSQL's row locks and concurrent transactions; this run uses "
            f"{connection.vendor}, which serialises every write. CI runs them on PostgreSQL; locally set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_<name>."
        )


def race(*steps: Callable[[Callable[[], None]], object], in_transaction: bool = True) -> list:
    """Run each step in its own thread, on its own connection, at the same moment.

    A step is `step(ready)`: it loads what it needs (as a page does when it is opened), calls
    `ready()`, then acts. With `in_transaction`, each thread opens a transaction before
    loading, so both are inside their transactions when they pass the barrier and a lock taken
    by one is held until that thread commits. Returns what each step returned or raised."""
    barrier = threading.Barrier(len(steps))
    results: list = [None] * len(steps)

    def run(index: int, step) -> None:
        try:
            if in_transaction:
                with transaction.atomic():
                    results[index] = step(lambda: barrier.wait(timeout=20))
            else:
                results[index] = step(lambda: barrier.wait(timeout=20))
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (a lock never released?)"
    return results


# The annual audit: two colleagues saving the same section --------------------------------


@pytest.fixture
def school(migrated_reference_data):
    """Oakfield, with its DSL and deputy DSL, and an open 175/157 return."""
    from schools.models import Setting, SettingKind, SettingRole

    qa = UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org")
    setting = Setting.objects.create(name="Oakfield Primary School", urn="900001", kind=SettingKind.MAINTAINED_SCHOOL)
    dsl = member(setting, email="dsl@oakfield.example.org", first_name="Dee", last_name="Lead")
    deputy = member(
        setting, role=SettingRole.DEPUTY_DSL, email="deputy@oakfield.example.org", first_name="Dev", last_name="Uty"
    )
    today = datetime.date.today()
    cycle = services.cycle_open(
        user=qa,
        questionnaire=build_questionnaire(),
        title="175/157 audit",
        opens_on=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=30),
    )
    return type("School", (), {"qa": qa, "setting": setting, "dsl": dsl, "deputy": deputy, "ret": cycle.returns.get()})


def _page_answers(section: Section, text: str) -> dict[int, dict]:
    """The first page of a section answered, with `text` in every text question."""
    values = {}
    for question in section.pages[0]:
        answer = {"compliance": "", "text": "", "number": None, "date": None, "follow_up": ""}
        answer.update(helpers.VALUES.get(question.answer_type, {}))
        if "text" in helpers.VALUES.get(question.answer_type, {}):
            answer["text"] = text
        if question.answer_type == "compliance":
            answer["compliance"] = "no"
            answer["follow_up"] = text
        values[question.pk] = answer
    return values


def test_two_colleagues_saving_one_section_at_once_one_wins_and_the_other_sees_the_conflict(school):
    section = sections_for_return(school.ret)[0]
    typed = {"dsl": "Dee's wording", "deputy": "Dev's wording"}

    def save_as(who: str):
        def step(ready):
            user = User.objects.get(email=getattr(school, who).email)
            audit_return = AuditReturn.objects.get(pk=school.ret.pk)
            # Both opened the page before anyone had answered: version 0 everywhere.
            seen = dict.fromkeys((q.pk for q in section.pages[0]), 0)
            ready()
            return services.audit_return_save_answers(
                audit_return=audit_return,
                user=user,
                section=section,
                answers=_page_answers(section, typed[who]),
                seen_versions=seen,
            )

        return step

    results = race(save_as("dsl"), save_as("deputy"))
    assert not any(isinstance(r, Exception) for r in results), results
    saved = [r for r in results if r.saved]
    refused = [r for r in results if r.conflicts]
    assert len(saved) == 1 and len(refused) == 1, results
    assert refused[0].saved == 0

    # Exactly one person's answers are stored, whole: nothing was mixed or overwritten.
    winner, loser = ("dsl", "deputy") if results[0].saved else ("deputy", "dsl")
    stored = Answer.objects.filter(audit_return=school.ret, question__in=section.pages[0]).order_by("question__pk")
    assert {a.version for a in stored} == {1}
    assert {a.updated_by.email for a in stored} == {getattr(school, winner).email}
    assert {a.text or a.follow_up for a in stored if a.text or a.follow_up} == {typed[winner]}

    # Both texts are recoverable: the winner's in the database, the loser's handed back with theirs.
    # (A number or date both typed the same is no conflict; every differing answer is one.)
    conflicts = refused[0].conflicts
    differing = {q.pk for q in section.pages[0] if q.answer_type in {"compliance", "short_text", "long_text"}}
    assert differing and {c.question.pk for c in conflicts} == differing
    for conflict in conflicts:
        assert conflict.theirs.updated_by.email == getattr(school, winner).email
        mine = conflict.yours.get("text") or conflict.yours.get("follow_up")
        if mine:
            assert mine == typed[loser]


def _page_post(section: Section, text: str, **extra) -> dict:
    data = {}
    for question in section.pages[0]:
        key = f"q{question.pk}"
        data[key] = {"compliance": "yes", "short_text": text, "long_text": text, "number": "12"}.get(
            question.answer_type, "1/9/2022"
        )
        data[f"{key}_version"] = "0"
        if question.follow_up_prompt:
            data[f"{key}_follow_up"] = ""
    data.update(extra)
    return data


def test_the_wizard_page_gives_the_second_colleague_back_what_they_typed(school):
    """The same race through the wizard's own page: no 500; the loser's page is redrawn with
    their typing kept, the conflict explained and the other person's answer shown."""
    section = sections_for_return(school.ret)[0]
    url = reverse("schools:return_section_page", args=[school.ret.pk, section.pk, 1])
    typed = {"dsl": "Dee typed this", "deputy": "Dev typed that"}
    clients = {}
    for who in typed:
        clients[who] = Client()
        clients[who].force_login(getattr(school, who))

    def post_as(who: str):
        def step(ready):
            ready()
            return clients[who].post(url, _page_post(section, typed[who], save_and_return="1"))

        return step

    results = race(post_as("dsl"), post_as("deputy"), in_transaction=False)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.status_code for r in results) == [200, 302], [r.status_code for r in results]
    winner, loser = ("dsl", "deputy") if results[0].status_code == 302 else ("deputy", "dsl")
    page = next(r for r in results if r.status_code == 200).content.decode()
    assert "changed this answer after you opened the page" in page
    assert "govuk-error-summary" in page
    assert typed[loser] in page  # their own typing, ready to save again
    assert typed[winner] in page  # and the other person's answer beside it
    short = next(q for q in section.pages[0] if q.answer_type == "short_text")
    assert Answer.objects.get(audit_return=school.ret, question=short).text == typed[winner]


# Action plans: two advisers changing the same action --------------------------------------


@pytest.fixture
def completed_actions(school):
    """An agreed plan from Oakfield's reviewed return, whose two actions the school has marked done."""
    adviser = UserFactory(roles=[Role.ADVISER], email="ada@example.org", first_name="Ada", last_name="Adviser")
    UserFactory(roles=[Role.ADVISER], email="bo@example.org", first_name="Bo", last_name="Adviser")
    ret = school.ret
    helpers.answer_everything(
        ret,
        school.dsl,
        overrides={
            "1.1": {"compliance": "partly", "follow_up": "Train governors by March"},
            "2.1": {"compliance": "no", "follow_up": "Appoint a deputy DSL"},
        },
    )
    helpers.sign_off(ret, school.dsl)
    services.audit_return_submit(audit_return=ret, user=school.dsl)
    services.audit_return_start_review(audit_return=ret, user=adviser)
    services.audit_return_send_feedback(audit_return=ret, user=adviser, judgement="good", summary="Good")
    plan = services_plans.plan_create_from_return(audit_return=ret, user=adviser)
    services_plans.plan_share(plan=plan, user=adviser)
    services_plans.plan_agree(plan=plan, user=school.dsl, agreed_with="Dee Lead, DSL")
    actions = list(plan.actions.order_by("sort_order", "pk"))
    assert len(actions) == 2
    for action in actions:
        services_plans.action_record_progress(action=action, user=school.dsl, note="Done", completed=True)
    return plan


def _as_adviser(email: str, action_pk: int, change: Callable):
    def step(ready):
        user = User.objects.get(email=email)
        action = Action.objects.select_related("plan__setting").get(pk=action_pk)  # the page as it was opened
        ready()
        return change(action=action, user=user)

    return step


def test_verify_and_send_back_of_one_action_at_once_leave_one_decision(completed_actions):
    action = completed_actions.actions.order_by("sort_order", "pk").first()
    results = race(
        _as_adviser("ada@example.org", action.pk, services_plans.action_verify),
        _as_adviser(
            "bo@example.org",
            action.pk,
            lambda **kw: services_plans.action_send_back(**kw, reason="No evidence of the training"),
        ),
    )
    done = [r for r in results if isinstance(r, Action)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(done) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], services_plans.InvalidTransition), results
    action.refresh_from_db()
    # The stored action is exactly the winner's decision, not a mixture of both.
    if done[0].status == Action.Status.VERIFIED:
        assert action.status == Action.Status.VERIFIED and action.verified_by.email == "ada@example.org"
        assert not action.notes.filter(text__startswith="Sent back").exists()
    else:
        assert action.status == Action.Status.IN_PROGRESS and action.verified_at is None
        assert action.notes.filter(text__startswith="Sent back").count() == 1


def test_two_advisers_verifying_the_last_two_actions_at_once_complete_the_plan(completed_actions):
    first, second = completed_actions.actions.order_by("sort_order", "pk")
    results = race(
        _as_adviser("ada@example.org", first.pk, services_plans.action_verify),
        _as_adviser("bo@example.org", second.pk, services_plans.action_verify),
    )
    assert all(isinstance(r, Action) for r in results), results
    plan = ActionPlan.objects.get(pk=completed_actions.pk)
    assert set(plan.actions.values_list("status", flat=True)) == {Action.Status.VERIFIED}
    # Each saw the other's verification, so the plan (and its return) closed, once.
    assert plan.status == ActionPlan.Status.COMPLETE
    assert AuditReturn.objects.get(pk=plan.source_return_id).status == AuditReturn.Status.CLOSED


def test_two_advisers_deciding_one_extension_at_once_record_one_decision(school, completed_actions):
    action = completed_actions.actions.order_by("sort_order", "pk").first()
    services_plans.action_send_back(action=action, user=User.objects.get(email="ada@example.org"), reason="More")
    request = services_plans.extension_request(
        action=Action.objects.get(pk=action.pk),
        user=school.dsl,
        new_due_on=action.due_on + datetime.timedelta(days=28),
        reason="Training date moved",
    )

    def decide(email: str, approve: bool):
        def step(ready):
            user = User.objects.get(email=email)
            pending = ExtensionRequest.objects.select_related("action__plan__setting").get(pk=request.pk)
            ready()
            return services_plans.extension_decide(request=pending, user=user, approve=approve, note="Not agreed")

        return step

    results = race(decide("ada@example.org", True), decide("bo@example.org", False))
    decided = [r for r in results if isinstance(r, ExtensionRequest)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(decided) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], services_plans.InvalidTransition)
    request.refresh_from_db()
    action.refresh_from_db()
    assert request.status == decided[0].status
    if request.status == ExtensionRequest.Status.APPROVED:
        assert action.due_on == request.requested_due_on and action.extension_count == 1
    else:
        assert action.due_on == request.previous_due_on and action.extension_count == 0


# Training: two people booking the last place --------------------------------------------


def test_two_people_booking_the_last_place_through_the_page_one_gets_it(hub):  # noqa: F811 - the fixture
    session = make_session(hub.course, days_ahead=20, capacity=1)
    people = [
        UserFactory(roles=[Role.SCHOOL_USER], email=f"dsl{n}@school{n}.example.org", first_name=f"Person{n}")
        for n in range(2)
    ]
    url = reverse("learning_hub:session_book", args=[session.pk])

    def book_as(person: User):
        client = Client()
        client.force_login(person)
        form = {"attendee_name": person.first_name, "attendee_email": person.email, "organisation": "School"}

        def step(ready):
            ready()
            return client.post(url, form)

        return step

    results = race(*(book_as(person) for person in people), in_transaction=False)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.status_code for r in results) == [200, 302], [r.status_code for r in results]
    full_page = next(r for r in results if r.status_code == 200).content.decode()
    assert "This session is full" in full_page and "Join the waiting list" in full_page
    session = TrainingSession.objects.get(pk=session.pk)
    booked = session.bookings.filter(status=Booking.Status.BOOKED)
    assert session.places_taken == booked.count() == 1
    assert not session.bookings.filter(status=Booking.Status.WAITING).exists()


def test_two_people_joining_for_the_last_place_one_books_and_one_waits(hub):  # noqa: F811 - the fixture
    session = make_session(hub.course, days_ahead=20, capacity=1)
    people = [UserFactory(roles=[Role.SCHOOL_USER], email=f"p{n}@school{n}.example.org") for n in range(2)]

    def book_as(person: User):
        def step(ready):
            user = User.objects.get(pk=person.pk)
            opened = TrainingSession.objects.get(pk=session.pk)
            ready()
            return booking_services.booking_create(
                opened, user, f"Person {person.pk}", user.email, "School", join_waiting_list=True
            )

        return step

    results = race(*(book_as(person) for person in people))
    assert all(isinstance(r, Booking) for r in results), results
    assert sorted(r.status for r in results) == [Booking.Status.BOOKED, Booking.Status.WAITING]
    session.refresh_from_db()
    assert session.places_taken == session.bookings.filter(status=Booking.Status.BOOKED).count() == 1


# The QPAG pack: two QA managers saving the narrative ---------------------------------------


def test_two_qa_managers_saving_the_pack_narrative_at_once_one_wins_and_the_other_gets_theirs(
    migrated_reference_data,
):
    managers = [UserFactory(roles=[Role.QA_MANAGER], email=f"qa{n}@example.org") for n in range(2)]
    pack = QpagPack.objects.create(month=datetime.date.today().replace(day=1), drafted_by=managers[0])
    texts = {managers[0].email: "Quinn's performance summary", managers[1].email: "Kim's performance summary"}

    def save_as(email: str):
        def step(ready):
            user = User.objects.get(email=email)
            opened = QpagPack.objects.get(pk=pack.pk)
            ready()
            return pack_narrative_save(pack=opened, user=user, narrative={"performance": texts[email]}, version=0)

        return step

    results = race(*(save_as(email) for email in texts))
    saved = [r for r in results if isinstance(r, QpagPack)]
    conflicts = [r for r in results if isinstance(r, PackConflict)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    pack.refresh_from_db()
    assert pack.version == 1
    assert pack.narrative == saved[0].narrative
    # The loser is shown the winner's text to merge with their own.
    assert conflicts[0].pack.narrative == pack.narrative
    assert pack.narrative["performance"] in texts.values()
