"""Two requests at once cannot break the register's invariants, and the one refused gets a message.

One chair, director or group leader at a time; no overlapping memberships of one person in one
organisation; one citizen ID per person. On PostgreSQL, under READ COMMITTED, a writer of an
organisation's memberships and terms waits for the organisation's row lock, so its check sees the
first writer's row; the database's constraints (``members/migrations/0003_period_exclusion.py``, the
unique indexes) stop whatever gets past a check, and ``coopportal.validation.constraint_errors``
gives it the check's own message. On SQLite the check and the write run in one transaction that
holds the write lock from its start, so the second writer's check sees the first's row.

Each POST below comes from a form of its own, opened by one of two staff: it carries its own one-time
token (``coopportal.submissions``).
"""

import sqlite3
import threading
from contextlib import closing
from datetime import date

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from coopportal.submissions import TOKEN_FIELD, new_token
from members.models import ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from members.services import membership_add, memberships_add_many, person_create, position_appoint

from .factories import OrganisationFactory, PersonFactory

POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not POSTGRESQL, reason="exclusion constraints and concurrent writers exist on PostgreSQL; SQLite is tested below"
)
TRIES = 20
FIRST_DAY = date(2024, 1, 1)


def race(*actions):
    """Run each action in a thread of its own (its own connection), all released at once.

    Returns what each returned or raised, in order.
    """
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome to compare
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def refusal_of(outcome, field):
    """The (message, code) of a service's ValidationError on ``field``."""
    (error,) = outcome.error_dict[field]
    return error.messages[0], error.code


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def chair_message():
    return ManagementPosition(role=Role.CHAIR).single_holder_error().messages[0]


def form_errors(response, form_name, field):
    assert response.status_code == 200, response.status_code
    return response.context[form_name].errors.get(field)


@pytest.fixture
def cooperatives(reference_data):
    return [OrganisationFactory() for _ in range(TRIES)]


@postgresql_only
@pytest.mark.django_db(transaction=True)
class TestPostgreSQLRaces:
    def test_two_chairs_appointed_at_once_through_the_service_leave_one(self, cooperatives):
        """Half the tries through the service, one chair after each; the other is told the role is taken."""
        for cooperative in cooperatives:
            first, second = PersonFactory(), PersonFactory()
            outcomes = race(
                *(
                    lambda person=person, cooperative=cooperative: position_appoint(
                        person=person, organisation=cooperative, role=Role.CHAIR, started_on=FIRST_DAY
                    )
                    for person in (first, second)
                )
            )
            refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
            assert len(refused) == 1, outcomes
            assert refusal_of(refused[0], "started_on") == (chair_message(), "single_holder_role_taken")
            assert ManagementPosition.objects.filter(organisation=cooperative, role=Role.CHAIR).count() == 1

    def test_two_chairs_posted_at_once_leave_one_and_a_form_message(self, cooperatives, provincial_staff):
        """Through the appoint page: 302 for one, 200 with the message for the other, never a 500."""
        clients = [staff_client(provincial_staff), staff_client(provincial_staff)]
        for cooperative in cooperatives:
            people = [PersonFactory(), PersonFactory()]
            url = reverse("members:position_appoint", args=[cooperative.pk])
            responses = race(
                *(
                    lambda client=client, person=person, url=url: client.post(
                        url,
                        {"person": person.pk, "role": Role.CHAIR, "started_on": "2024-01-01", TOKEN_FIELD: new_token()},
                    )
                    for client, person in zip(clients, people, strict=True)
                )
            )
            assert sorted(response.status_code for response in responses) == [200, 302], responses
            (refused,) = [response for response in responses if response.status_code == 200]
            assert form_errors(refused, "form", "started_on") == [chair_message()]
            assert ManagementPosition.objects.filter(organisation=cooperative, role=Role.CHAIR).count() == 1

    def test_one_person_added_twice_at_once_is_a_member_once(self, cooperatives, provincial_staff):
        """Overlapping memberships, half through the service and half through the add-member page."""
        clients = [staff_client(provincial_staff), staff_client(provincial_staff)]
        expected = Membership().overlap_error().messages[0]
        for index, cooperative in enumerate(cooperatives):
            person = PersonFactory()
            if index % 2:
                url = reverse("members:membership_add", args=[cooperative.pk])
                responses = race(
                    *(
                        lambda client=client, joined=joined, url=url, person=person: client.post(
                            url,
                            {
                                "who": "existing",
                                "person": person.pk,
                                "member_type": MemberType.OFFICIAL,
                                "joined_on": joined,
                                "capital_contributed": "0",
                                TOKEN_FIELD: new_token(),
                            },
                        )
                        for client, joined in zip(clients, ("2024-01-01", "2024-03-01"), strict=True)
                    )
                )
                assert sorted(response.status_code for response in responses) == [200, 302], responses
                (refused,) = [response for response in responses if response.status_code == 200]
                assert form_errors(refused, "form", "joined_on") == [expected]
            else:
                outcomes = race(
                    *(
                        lambda joined=joined, person=person, cooperative=cooperative: membership_add(
                            person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=joined
                        )
                        for joined in (FIRST_DAY, date(2024, 3, 1))
                    )
                )
                refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
                assert len(refused) == 1, outcomes
                assert refusal_of(refused[0], "joined_on") == (expected, "overlapping_membership")
            assert Membership.objects.filter(person=person, organisation=cooperative).count() == 1

    def test_two_new_people_with_one_citizen_id_at_once_save_one(self, cooperatives, provincial_staff, commune_a):
        """The citizen ID's unique index refuses the second, with the message of the form's own check."""
        clients = [staff_client(provincial_staff), staff_client(provincial_staff)]
        for index, cooperative in enumerate(cooperatives[:10]):
            # Other names and years each try: the namesake warning of earlier tries is not what is tested.
            citizen_id = f"0511900{index:05d}"
            url = reverse("members:membership_add", args=[cooperative.pk])
            responses = race(
                *(
                    lambda client=client, name=name, url=url, citizen_id=citizen_id, index=index: client.post(
                        url,
                        {
                            "who": "new",
                            "new-full_name": name,
                            "new-gender": "female",
                            "new-birth_year": str(1960 + index),
                            "new-commune": commune_a.pk,
                            "new-citizen_id": citizen_id,
                            "member_type": MemberType.ASSOCIATE_NO_CAPITAL,
                            "joined_on": "2024-05-01",
                            "capital_contributed": "0",
                            TOKEN_FIELD: new_token(),
                        },
                    )
                    for client, name in zip(clients, ("Hồ Thị Nga", "Lê Thị Nga"), strict=True)
                )
            )
            assert sorted(response.status_code for response in responses) == [200, 302], responses
            (refused,) = [response for response in responses if response.status_code == 200]
            expected = Person().unique_error_message(Person, ("citizen_id",)).messages
            assert form_errors(refused, "person_form", "citizen_id") == expected, (
                refused.context["form"].errors,
                refused.context["person_form"].errors,
            )
            assert Person.objects.filter(citizen_id=citizen_id).count() == 1

    def test_two_new_people_with_one_citizen_id_through_the_service(self, reference_data):
        outcomes = race(
            *(
                lambda name=name: person_create(
                    full_name=name, gender="female", birth_year=1990, citizen_id="051190000001"
                )
                for name in ("Hồ Thị Nga", "Lê Thị Nga")
            )
        )
        refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        assert len(refused) == 1, outcomes
        assert refusal_of(refused[0], "citizen_id")[1] == "unique"
        assert Person.objects.filter(citizen_id="051190000001").count() == 1


@postgresql_only
@pytest.mark.django_db
class TestPostgreSQLConstraints:
    def test_the_database_refuses_a_second_chair_written_around_the_check(self):
        cooperative = OrganisationFactory()
        chair = position_appoint(
            person=PersonFactory(), organisation=cooperative, role=Role.CHAIR, started_on=FIRST_DAY
        ).instance
        second = ManagementPosition(
            person=PersonFactory(), organisation=cooperative, role=Role.CHAIR, started_on=date(2024, 6, 1)
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            ManagementPosition.objects.bulk_create([second])
        ended = position_appoint(
            person=PersonFactory(),
            organisation=cooperative,
            role=Role.CHAIR,
            started_on=date(2020, 1, 1),
            ended_on=date(2023, 1, 1),
        ).instance
        with pytest.raises(IntegrityError), transaction.atomic():
            ManagementPosition.objects.filter(pk=ended.pk).update(ended_on=None)
        # A term that ends on the day the next starts does not overlap it ([start, end)).
        ManagementPosition.objects.filter(pk=ended.pk).update(ended_on=chair.started_on)
        # Roles with many holders are not constrained.
        for _ in range(2):
            ManagementPosition.objects.bulk_create(
                [
                    ManagementPosition(
                        person=PersonFactory(), organisation=cooperative, role=Role.BOARD_MEMBER, started_on=FIRST_DAY
                    )
                ]
            )

    def test_the_database_refuses_an_overlapping_membership_written_around_the_check(self):
        cooperative = OrganisationFactory()
        person = PersonFactory()
        membership_add(person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY)
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.bulk_create(
                [
                    Membership(
                        person=person,
                        organisation=cooperative,
                        member_type=MemberType.OFFICIAL,
                        joined_on=date(2025, 1, 1),
                    )
                ]
            )

    def test_the_database_s_refusal_reads_as_the_check_s(self, monkeypatch):
        """With ``clean()``'s overlap checks switched off, the constraint's error is the one they give."""
        cooperative = OrganisationFactory()
        person = PersonFactory()
        first = position_appoint(person=person, organisation=cooperative, role=Role.DIRECTOR, started_on=FIRST_DAY)
        membership = membership_add(
            person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY
        )
        by_check = {}
        for call, field in (
            (
                lambda: position_appoint(
                    person=PersonFactory(), organisation=cooperative, role=Role.DIRECTOR, started_on=FIRST_DAY
                ),
                "started_on",
            ),
            (
                lambda: membership_add(
                    person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY
                ),
                "joined_on",
            ),
        ):
            with pytest.raises(Exception) as by_clean:
                call()
            by_check[field] = refusal_of(by_clean.value, field)
        monkeypatch.setattr("members.models.any_rows", lambda rows: False)
        for call, field in (
            (
                lambda: position_appoint(
                    person=PersonFactory(), organisation=cooperative, role=Role.DIRECTOR, started_on=FIRST_DAY
                ),
                "started_on",
            ),
            (
                lambda: membership_add(
                    person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY
                ),
                "joined_on",
            ),
        ):
            with pytest.raises(Exception) as by_database:
                call()
            assert isinstance(by_database.value.__cause__, IntegrityError)
            assert refusal_of(by_database.value, field) == by_check[field]
        assert first.instance.pk and membership.pk
        assert ManagementPosition.objects.filter(organisation=cooperative, role=Role.DIRECTOR).count() == 1
        assert Membership.objects.filter(person=person, organisation=cooperative).count() == 1


@pytest.mark.django_db(transaction=True)
class TestCheckAndWriteInOneTransaction:
    def test_each_service_checks_inside_the_transaction_that_writes(self, reference_data, monkeypatch):
        """On SQLite that transaction holds the write lock from its start: a second writer waits, then sees the row."""
        checked_in_transaction = []

        def recording(original):
            def check(self, *args, **kwargs):
                holds_lock = connection.in_atomic_block
                if connection.vendor == "sqlite":
                    holds_lock = holds_lock and connection.connection.in_transaction
                checked_in_transaction.append((type(self).__name__, holds_lock))
                return original(self, *args, **kwargs)

            return check

        for model in (Person, Membership, ManagementPosition):
            monkeypatch.setattr(model, "full_clean", recording(model.full_clean))
        cooperative = OrganisationFactory()
        person = person_create(full_name="Hồ Thị Nga", gender="female", birth_year=1990)
        membership_add(person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY)
        position_appoint(person=person, organisation=cooperative, role=Role.CHAIR, started_on=FIRST_DAY)
        assert checked_in_transaction == [("Person", True), ("Membership", True), ("ManagementPosition", True)]
        if connection.vendor == "sqlite":
            assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    @pytest.mark.skipif(POSTGRESQL, reason="SQLite's serialised writers; PostgreSQL races above")
    def test_two_chairs_appointed_at_once_on_a_sqlite_file_leave_one(self, reference_data, tmp_path):
        """Threads on a copy of the test database in a file (an in-memory one cannot be shared and locked)."""
        cooperatives = [OrganisationFactory() for _ in range(5)]
        people = [(PersonFactory(), PersonFactory()) for _ in cooperatives]
        path = tmp_path / "register.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        settings = connections.settings[DEFAULT_DB_ALIAS]
        in_memory = settings["NAME"]
        settings["NAME"] = str(path)
        try:
            for cooperative, pair in zip(cooperatives, people, strict=True):
                outcomes = race(
                    *(
                        lambda person=person, cooperative=cooperative: position_appoint(
                            person=person, organisation=cooperative, role=Role.CHAIR, started_on=FIRST_DAY
                        )
                        for person in pair
                    )
                )
                refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
                assert len(refused) == 1, outcomes
                assert refusal_of(refused[0], "started_on") == (chair_message(), "single_holder_role_taken")
        finally:
            settings["NAME"] = in_memory
        with closing(sqlite3.connect(path)) as copy:
            chairs = copy.execute(
                "SELECT organisation_id, count(*) FROM members_managementposition WHERE role = 'chair' "
                "GROUP BY organisation_id"
            ).fetchall()
        assert sorted(chairs) == sorted((cooperative.pk, 1) for cooperative in cooperatives)


@pytest.mark.django_db
class TestUniqueViolationsReadAsTheCheck:
    @pytest.mark.parametrize(
        ("create", "field"),
        [
            (
                lambda: person_create(
                    full_name="Hồ Thị Nga", gender="female", birth_year=1990, citizen_id="051190000002"
                ),
                "citizen_id",
            ),
            (lambda: OrganisationFactory(registration_number="4300123456"), "registration_number"),
        ],
    )
    def test_a_unique_value_taken_meanwhile_gets_the_check_s_message(self, create, field, monkeypatch):
        """The database's unique index, reached when the check could not see the other row, says what the check says."""
        create()
        with pytest.raises(Exception) as by_check:
            create()
        monkeypatch.setattr("django.db.models.Model.validate_unique", lambda self, exclude=None: None)
        with pytest.raises(Exception) as by_database:
            create()
        assert isinstance(by_database.value.__cause__, IntegrityError)
        assert by_database.value.message_dict == by_check.value.message_dict
        assert by_database.value.error_dict[field][0].code == by_check.value.error_dict[field][0].code == "unique"

    @postgresql_only
    def test_a_bulk_insert_that_meets_a_row_written_meanwhile_names_the_refused_row(self):
        """An import's batch checks against the rows it read; one written since is found by the database."""
        cooperative = OrganisationFactory()
        person, other = PersonFactory(), PersonFactory()
        membership_add(person=person, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY)
        batch = [
            Membership(person=p, organisation=cooperative, member_type=MemberType.OFFICIAL, joined_on=FIRST_DAY)
            for p in (other, person)
        ]
        for membership in batch:
            membership.known_siblings = []
        errors = memberships_add_many(memberships=batch)
        assert list(errors) == [1]
        assert errors[1].message_dict == {"joined_on": [Membership().overlap_error().messages[0]]}
        assert batch[0].pk and Membership.objects.filter(organisation=cooperative).count() == 2
