"""Workshop test data, made through the workshops' services."""

from datetime import date

from members.models import Gender
from workshops import services
from workshops.models import DiscussionTheme, OrganisationKind, OrganiserLevel, WorkshopStatus

DAY = date(2024, 9, 26)


def make_workshop(**fields):
    values = {
        "title": "Hội thảo chia sẻ kinh nghiệm phát triển hợp tác xã",
        "start_date": DAY,
        "end_date": DAY,
        "organiser_level": OrganiserLevel.PROVINCE,
        "status": WorkshopStatus.HELD,
    }
    values.update(fields)
    return services.workshop_create(**values)


def add_participant(workshop, full_name="Nguyễn Thị Hoa", gender=Gender.FEMALE, **fields):
    fields.setdefault("organisation_kind", OrganisationKind.OTHER)
    return services.participant_add(workshop=workshop, full_name=full_name, gender=gender, **fields)


def theme(code="market_access"):
    return DiscussionTheme.objects.get(code=code)


def propose(workshop, text="Hỗ trợ hợp tác xã đưa sản phẩm lên sàn thương mại điện tử", **fields):
    fields.setdefault("theme", theme())
    fields.setdefault("responsible_body", "Sở Công Thương")
    fields.setdefault("proposed_by_organisation", "Hội LHPN tỉnh")
    return services.solution_propose(workshop=workshop, text=text, **fields)
