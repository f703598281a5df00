"""The demo province's workshops, written through the services.

The article's workshop is held on the day the registers' demo data is built around, and its
cooperative managers are people of the demo registers who manage a women-managed cooperative or
cooperative group on that day, so the report's "managers present" follows the registers' rule.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation

from cooperatives.models import AdministrativeUnit, Organisation
from coopportal.accounts.models import User
from members.demo import DEMO_WORKSHOP_DATE
from members.models import Gender
from members.roles import Role
from members.selectors import positions_on, women_managed_on

from . import services
from .models import DiscussionTheme, OrganisationKind, OrganiserLevel, SolutionStatus, Workshop, WorkshopStatus

ARTICLE_TITLE = (
    "Chia sẻ kinh nghiệm, kiến thức về duy trì, mở rộng và phát triển hợp tác xã và giải pháp thúc đẩy "
    "phát triển mô hình hợp tác xã, tổ hợp tác do phụ nữ quản lý trên địa bàn tỉnh"
)
EARLIER_TITLE = "Tập huấn kỹ năng quản lý và tiếp cận thị trường cho nữ cán bộ quản lý hợp tác xã, tổ hợp tác"
PLANNED_TITLE = (
    "Sơ kết thực hiện Đề án 01 giai đoạn 2023–2025 và định hướng hỗ trợ hợp tác xã do phụ nữ quản lý đến năm 2030"
)

F, M = Gender.FEMALE, Gender.MALE
K = OrganisationKind

# name, gender, organisation, kind, position, attended
ARTICLE_GUESTS = [
    ("Lê Văn Hùng", M, "Sở Kế hoạch và Đầu tư", K.DEPARTMENT, "Phó Giám đốc Sở", True),
    ("Nguyễn Thị Thanh Hương", F, "Sở Kế hoạch và Đầu tư", K.DEPARTMENT, "Trưởng phòng Kinh tế ngành", True),
    (
        "Phạm Quốc Dũng",
        M,
        "Sở Nông nghiệp và Phát triển nông thôn",
        K.DEPARTMENT,
        "Chi cục trưởng Chi cục Phát triển nông thôn",
        True,
    ),
    ("Võ Thị Mỹ Linh", F, "Sở Công Thương", K.DEPARTMENT, "Phó Trưởng phòng Quản lý thương mại", True),
    ("Đỗ Văn Thành", M, "Sở Lao động - Thương binh và Xã hội", K.DEPARTMENT, "Chuyên viên", False),
    ("Huỳnh Thị Kim Oanh", F, "Ngân hàng Chính sách xã hội chi nhánh tỉnh", K.DEPARTMENT, "Phó Giám đốc", True),
    ("Trương Công Minh", M, "UBND huyện Sơn Hà", K.LOCAL_GOVERNMENT, "Phó Chủ tịch UBND huyện", True),
    ("Nguyễn Văn Tâm", M, "UBND thành phố Quảng Ngãi", K.LOCAL_GOVERNMENT, "Trưởng phòng Kinh tế", True),
    ("Đinh Thị Hồng", F, "UBND huyện Ba Tơ", K.LOCAL_GOVERNMENT, "Phó Trưởng phòng Nông nghiệp", True),
    ("Bùi Văn Lộc", M, "UBND huyện Tư Nghĩa", K.LOCAL_GOVERNMENT, "Chuyên viên Phòng Kinh tế", False),
    ("Trần Văn Phúc", M, "Liên minh Hợp tác xã tỉnh", K.COOPERATIVE_ALLIANCE, "Phó Chủ tịch", True),
    (
        "Lê Thị Ngọc Ánh",
        F,
        "Liên minh Hợp tác xã tỉnh",
        K.COOPERATIVE_ALLIANCE,
        "Trưởng ban Tuyên truyền - Hỗ trợ",
        True,
    ),
    ("Phan Thị Thu", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Chủ tịch", True),
    ("Nguyễn Thị Bích Vân", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Phó Chủ tịch", True),
    ("Hồ Thị Lệ", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Trưởng ban Gia đình - Xã hội - Kinh tế", True),
    ("Trần Thị Ngọc Diệp", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Phó Trưởng ban Gia đình - Xã hội - Kinh tế", True),
    ("Nguyễn Thị Hồng", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Cán bộ", True),
    ("Phạm Thị Hoa", F, "Hội LHPN phường Cẩm Thành", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Lương Thị Mai", F, "Hội LHPN phường Nghĩa Lộ", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Đinh Thị Lan", F, "Hội LHPN xã Sơn Hà", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Võ Thị Thu Trang", F, "Hội LHPN xã Bình Sơn", K.UNION_COMMUNE, "Phó Chủ tịch", True),
    ("Nguyễn Thị Kim Cúc", F, "Hội LHPN xã Tư Nghĩa", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Phạm Thị Thanh Thảo", F, "Hội LHPN xã Mộ Đức", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Trần Thị Sương", F, "Hội LHPN xã Ba Tơ", K.UNION_COMMUNE, "Phó Chủ tịch", True),
    ("Hồ Thị Nga", F, "Hội LHPN xã Trà Bồng", K.UNION_COMMUNE, "Chủ tịch", False),
    ("Lê Minh Quân", M, "Báo Quảng Ngãi", K.OTHER, "Phóng viên", True),
    ("Nguyễn Thị Yến", F, "Đài Phát thanh - Truyền hình tỉnh", K.OTHER, "Biên tập viên", True),
    ("Trịnh Văn Sơn", M, "Tỉnh đoàn Quảng Ngãi", K.OTHER, "Phó Bí thư", True),
]

# Cooperative managers invited in case the registers hold fewer women managers than expected.
SPARE_MANAGERS = [
    ("Nguyễn Thị Mến", F, "Hợp tác xã Dịch vụ nông nghiệp Tịnh Khê", "Giám đốc"),
    ("Trần Thị Thủy", F, "Hợp tác xã Dệt thổ cẩm Ba Tơ", "Chủ tịch HĐQT"),
    ("Lê Thị Hạnh", F, "Tổ hợp tác Chế biến nước mắm Sa Huỳnh", "Tổ trưởng"),
    ("Phạm Thị Liên", F, "Hợp tác xã Quế Trà Bồng", "Giám đốc"),
    ("Đinh Thị Hoa", F, "Tổ hợp tác Trồng rau an toàn Nghĩa Hà", "Tổ trưởng"),
    ("Võ Thị Bé", F, "Hợp tác xã Tỏi Lý Sơn", "Chủ tịch HĐQT"),
    ("Huỳnh Thị Xuân", F, "Hợp tác xã Mỳ Chũ Mộ Đức", "Phó Giám đốc"),
    ("Nguyễn Thị Sen", F, "Hợp tác xã Nông nghiệp Nghĩa Lộ", "Kế toán trưởng"),
    ("Trương Thị Hằng", F, "Tổ hợp tác Mây tre đan Đức Phổ", "Tổ trưởng"),
    ("Đặng Thị Vui", F, "Hợp tác xã Chăn nuôi Sơn Hà", "Giám đốc"),
    ("Bùi Thị Tuyết", F, "Tổ hợp tác Bánh tráng Tư Nghĩa", "Tổ trưởng"),
    ("Lâm Thị Ngọc", F, "Hợp tác xã Dịch vụ du lịch Mỹ Khê", "Giám đốc"),
]
MANAGERS_INVITED = 12

ARTICLE_PRESENTATIONS = [
    (
        "Vai trò của phụ nữ trong phát triển kinh tế tập thể trên địa bàn tỉnh",
        "Bà Hồ Thị Lệ, Trưởng ban Gia đình - Xã hội - Kinh tế, Hội LHPN tỉnh",
        "Kết quả tuyên truyền, vận động hội viên, phụ nữ tham gia mô hình kinh tế tập thể; hỗ trợ phụ nữ khởi "
        "nghiệp, quảng bá sản phẩm và bồi dưỡng nữ cán bộ quản lý hợp tác xã, tổ hợp tác.",
    ),
    (
        "Chính sách ưu đãi của Nhà nước về phát triển kinh tế tập thể, hợp tác xã",
        "Ông Lê Văn Hùng, Phó Giám đốc Sở Kế hoạch và Đầu tư",
        "Các chính sách hỗ trợ theo Luật Hợp tác xã năm 2023 và Đề án 01 (Quyết định 01/QĐ-TTg ngày 03/01/2023).",
    ),
    (
        "Kinh nghiệm duy trì, mở rộng hoạt động của hợp tác xã do phụ nữ quản lý",
        "{manager}",
        "Kinh nghiệm huy động thành viên góp vốn, mở rộng dịch vụ và giữ chân thành viên nữ.",
    ),
    (
        "Hỗ trợ hợp tác xã, tổ hợp tác tìm kiếm thị trường tiêu thụ sản phẩm",
        "Bà Lê Thị Ngọc Ánh, Liên minh Hợp tác xã tỉnh",
        "Kết nối tiêu thụ, xây dựng sản phẩm OCOP, đưa sản phẩm lên sàn thương mại điện tử.",
    ),
]

ARTICLE_THEMES = [
    "financial_support",
    "expertise",
    "mobilising_women",
    "management_skills",
    "difficulties",
    "market_access",
]

ADOPTED, IN_PROGRESS, DONE, DECLINED = (
    SolutionStatus.ADOPTED,
    SolutionStatus.IN_PROGRESS,
    SolutionStatus.DONE,
    SolutionStatus.DECLINED,
)

# text, theme, proposer (guest name or organisation), responsible body, priority, due date, moves (status, day, note)
ARTICLE_SOLUTIONS = [
    (
        "Phối hợp với Ngân hàng Chính sách xã hội tạo điều kiện cho hợp tác xã do phụ nữ quản lý tiếp cận vốn vay ưu đãi.",
        "financial_support",
        "Huỳnh Thị Kim Oanh",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
        "high",
        date(2025, 6, 30),
        [
            (ADOPTED, date(2024, 10, 15), "Thống nhất tại cuộc họp liên ngành."),
            (IN_PROGRESS, date(2024, 12, 2), "Đã giới thiệu 5 hợp tác xã làm hồ sơ vay."),
            (DONE, date(2025, 5, 20), "5 hợp tác xã đã được giải ngân."),
        ],
    ),
    (
        "Tham mưu UBND tỉnh bố trí kinh phí thực hiện Đề án 01 hằng năm.",
        "financial_support",
        "Hội LHPN tỉnh",
        "Hội LHPN tỉnh",
        "high",
        date(2025, 3, 31),
        [
            (ADOPTED, date(2024, 10, 10), "Đưa vào kế hoạch năm 2025."),
            (IN_PROGRESS, date(2024, 11, 20), "Đã gửi tờ trình UBND tỉnh."),
        ],
    ),
    (
        "Mở lớp bồi dưỡng kiến thức quản trị, kế toán cho nữ cán bộ quản lý hợp tác xã, tổ hợp tác.",
        "expertise",
        "Liên minh Hợp tác xã tỉnh",
        "Liên minh Hợp tác xã tỉnh",
        "high",
        date(2025, 9, 30),
        [
            (ADOPTED, date(2024, 10, 8), ""),
            (IN_PROGRESS, date(2025, 3, 3), "Lớp thứ nhất khai giảng tại thành phố."),
            (DONE, date(2025, 8, 29), "Đã mở 3 lớp cho 96 học viên."),
        ],
    ),
    (
        "Tổ chức tham quan, học tập mô hình hợp tác xã do phụ nữ quản lý hiệu quả ở các tỉnh bạn.",
        "expertise",
        "Phạm Thị Hoa",
        "Hội LHPN tỉnh",
        "medium",
        date(2025, 12, 31),
        [(DECLINED, date(2024, 11, 5), "Chưa bố trí được kinh phí năm 2025; xem xét lại trong kế hoạch sau.")],
    ),
    (
        "Hỗ trợ thành lập mới tổ hợp tác của hội viên phụ nữ ở các xã miền núi.",
        "mobilising_women",
        "Đinh Thị Lan",
        "Hội LHPN cấp xã",
        "high",
        date(2026, 6, 30),
        [
            (ADOPTED, date(2024, 10, 20), ""),
            (IN_PROGRESS, date(2025, 2, 10), "Đã thành lập 4 tổ hợp tác tại Sơn Hà, Ba Tơ."),
        ],
    ),
    (
        "Tuyên truyền Luật Hợp tác xã năm 2023 đến hội viên qua sinh hoạt chi hội.",
        "mobilising_women",
        "Hội LHPN tỉnh",
        "Hội LHPN cấp xã",
        "medium",
        date(2025, 6, 30),
        [
            (ADOPTED, date(2024, 10, 1), ""),
            (IN_PROGRESS, date(2024, 10, 25), ""),
            (DONE, date(2025, 6, 12), "Đã tuyên truyền tại 100% chi hội."),
        ],
    ),
    (
        "Xây dựng sổ tay hướng dẫn quản trị hợp tác xã dành cho nữ quản lý.",
        "management_skills",
        "Liên minh Hợp tác xã tỉnh",
        "Liên minh Hợp tác xã tỉnh",
        "medium",
        date(2025, 12, 31),
        [(ADOPTED, date(2024, 11, 12), "Giao Ban Tuyên truyền - Hỗ trợ biên soạn.")],
    ),
    (
        "Kết nối nữ giám đốc hợp tác xã có kinh nghiệm kèm cặp hợp tác xã mới thành lập.",
        "management_skills",
        "{manager}",
        "Hội LHPN tỉnh",
        "low",
        date(2027, 6, 30),
        [],
    ),
    (
        "Rà soát, tháo gỡ vướng mắc về đất đai, mặt bằng sản xuất cho hợp tác xã.",
        "difficulties",
        "UBND huyện Sơn Hà",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "high",
        date(2025, 12, 31),
        [(ADOPTED, date(2024, 10, 30), "")],
    ),
    (
        "Hướng dẫn hợp tác xã hoàn thiện hồ sơ chuyển đổi theo Luật Hợp tác xã năm 2023.",
        "difficulties",
        "Sở Kế hoạch và Đầu tư",
        "Sở Kế hoạch và Đầu tư",
        "medium",
        date(2027, 3, 31),
        [],
    ),
    (
        "Hỗ trợ hợp tác xã đưa sản phẩm lên sàn thương mại điện tử và tham gia chương trình OCOP.",
        "market_access",
        "Võ Thị Mỹ Linh",
        "Sở Công Thương",
        "high",
        date(2026, 12, 31),
        [(ADOPTED, date(2024, 10, 18), ""), (IN_PROGRESS, date(2025, 1, 15), "8 sản phẩm đã lên sàn Postmart.")],
    ),
    (
        "Tổ chức gian hàng giới thiệu sản phẩm của hợp tác xã do phụ nữ quản lý tại hội chợ của tỉnh.",
        "market_access",
        "Hội LHPN tỉnh",
        "Hội LHPN tỉnh",
        "medium",
        date(2025, 4, 30),
        [(ADOPTED, date(2024, 10, 5), "")],
    ),
]

EARLIER_GUESTS = [
    ("Phạm Thị Hoa", F, "Hội LHPN phường Cẩm Thành", K.UNION_COMMUNE, "Chủ tịch", True),
    ("Nguyễn Thị Hồng", F, "Hội LHPN tỉnh", K.UNION_PROVINCE, "Cán bộ", True),
    ("Trần Văn Phúc", M, "Liên minh Hợp tác xã tỉnh", K.COOPERATIVE_ALLIANCE, "Phó Chủ tịch", True),
    ("Lê Thị Thanh", F, "UBND phường Cẩm Thành", K.LOCAL_GOVERNMENT, "Phó Chủ tịch", True),
    ("Ngô Thị Hạnh", F, "Tổ hợp tác May mặc Cẩm Thành", K.COOPERATIVE, "Tổ trưởng", True),
    ("Võ Thị Lựu", F, "Hợp tác xã Dịch vụ tổng hợp Cẩm Thành", K.COOPERATIVE, "Giám đốc", True),
    ("Trần Thị Kim", F, "Tổ hợp tác Bánh kẹo Cẩm Thành", K.COOPERATIVE, "Tổ trưởng", True),
    ("Đỗ Thị Nhung", F, "Hợp tác xã Rau sạch Cẩm Thành", K.COOPERATIVE, "Kế toán trưởng", True),
    ("Phan Văn Tài", M, "Hợp tác xã Dịch vụ tổng hợp Cẩm Thành", K.COOPERATIVE, "Trưởng ban kiểm soát", False),
]


def seed_workshops():
    """The article's workshop, an earlier commune workshop and a planned one; skipped if already there."""
    with translation.override("vi"):
        themes = {theme.code: theme for theme in DiscussionTheme.objects.all()}
        mover = User.objects.filter(username="canbo.tinh").first()
        _seed_article_workshop(themes, mover)
        _seed_earlier_workshop(themes, mover)
        _seed_planned_workshop(themes)


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _women_managers(day, count):
    """Women holding the top role of a women-managed organisation on ``day``, one per organisation."""
    positions = (
        positions_on(day)
        .filter(
            organisation__in=women_managed_on(day, Organisation.objects.all()),
            role__in=[Role.CHAIR, Role.DIRECTOR, Role.GROUP_LEADER],
            person__gender=Gender.FEMALE,
        )
        .select_related("person", "organisation")
        .order_by("organisation__name", "pk")
    )
    chosen, seen = [], set()
    for position in positions:
        if position.organisation_id not in seen and position.person_id not in {p.person_id for p in chosen}:
            seen.add(position.organisation_id)
            chosen.append(position)
        if len(chosen) == count:
            break
    return chosen


def _seed_article_workshop(themes, mover):
    if Workshop.objects.filter(title=ARTICLE_TITLE).exists():
        return
    province = AdministrativeUnit.objects.filter(level="province", code=settings.PORTAL_PROVINCE_CODE).first()
    venue_commune = AdministrativeUnit.objects.filter(level="commune", parent=province, name="Phường Cẩm Thành").first()
    workshop = services.workshop_create(
        title=ARTICLE_TITLE,
        purpose=(
            "Chia sẻ kinh nghiệm, kiến thức và vai trò của phụ nữ trong phát triển kinh tế tập thể; thảo luận giải "
            "pháp thúc đẩy mô hình hợp tác xã, tổ hợp tác do phụ nữ quản lý; triển khai Đề án 01 “Hỗ trợ hợp tác xã "
            "do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030”."
        ),
        organiser_level=OrganiserLevel.PROVINCE,
        start_date=DEMO_WORKSHOP_DATE,
        end_date=DEMO_WORKSHOP_DATE,
        venue="Hội trường Hội LHPN tỉnh",
        commune=venue_commune,
        status=WorkshopStatus.HELD,
        outcome_summary=(
            "Các đại biểu đề xuất nhiều giải pháp và định hướng nhằm nâng cao hiệu quả mô hình hợp tác xã, tổ hợp "
            "tác do phụ nữ quản lý; phát huy vai trò, trách nhiệm của các sở, ngành, địa phương và Hội LHPN các cấp "
            "trong thực hiện Đề án 01; tuyên truyền chủ trương của Đảng, chính sách ưu đãi của Nhà nước về phát "
            "triển kinh tế tập thể; sử dụng hiệu quả các nguồn lực, tạo thêm việc làm cho lao động nữ."
        ),
        themes=[themes[code] for code in ARTICLE_THEMES if code in themes],
    )
    participants = {}
    for name, gender, organisation, kind, position, attended in ARTICLE_GUESTS:
        participants[name] = services.participant_add(
            workshop=workshop,
            full_name=name,
            gender=gender,
            organisation_name=organisation,
            organisation_kind=kind,
            position=position,
            attended=attended,
        )
    managers = []
    for term in _women_managers(DEMO_WORKSHOP_DATE, MANAGERS_INVITED):
        managers.append(
            services.participant_add(
                workshop=workshop,
                full_name=term.person.full_name,
                gender=term.person.gender,
                organisation_name=term.organisation.name,
                organisation_kind=K.COOPERATIVE,
                position=str(term.get_role_display()),
                attended=True,
                person=term.person,
                organisation=term.organisation,
            )
        )
    for name, gender, organisation, position in SPARE_MANAGERS[: MANAGERS_INVITED - len(managers)]:
        managers.append(
            services.participant_add(
                workshop=workshop,
                full_name=name,
                gender=gender,
                organisation_name=organisation,
                organisation_kind=K.COOPERATIVE,
                position=position,
                attended=True,
            )
        )
    speaker = managers[0]
    for title, presenter, summary in ARTICLE_PRESENTATIONS:
        presenter = presenter.format(manager=f"Bà {speaker.full_name}, {speaker.position} {speaker.organisation_name}")
        services.presentation_add(workshop=workshop, title=title, presenter=presenter, summary=summary)
    participants[speaker.full_name] = speaker
    _seed_solutions(workshop, ARTICLE_SOLUTIONS, themes, participants, mover, speaker)


def _seed_solutions(workshop, solutions, themes, participants, mover, speaker=None):
    for text, theme, proposer, responsible, priority, due_on, moves in solutions:
        if proposer == "{manager}":
            proposer = speaker.full_name
        proposed_by = participants.get(proposer)
        solution = services.solution_propose(
            workshop=workshop,
            text=text,
            theme=themes[theme],
            responsible_body=responsible,
            proposed_by=proposed_by,
            proposed_by_organisation=proposed_by.organisation_name if proposed_by else proposer,
            priority=priority,
            due_on=due_on,
        )
        for status, day, note in moves:
            services.solution_move(solution=solution, to_status=status, by=mover, note=note, at=_at(day))


def _seed_earlier_workshop(themes, mover):
    if Workshop.objects.filter(title=EARLIER_TITLE).exists():
        return
    commune = AdministrativeUnit.objects.filter(
        level="commune", parent__code=settings.PORTAL_PROVINCE_CODE, name="Phường Cẩm Thành"
    ).first()
    day = date(2023, 10, 19)
    workshop = services.workshop_create(
        title=EARLIER_TITLE,
        purpose="Bồi dưỡng kỹ năng quản lý, kế toán và tiếp cận thị trường cho nữ cán bộ quản lý hợp tác xã, tổ hợp tác.",
        organiser_level=OrganiserLevel.COMMUNE,
        commune=commune,
        start_date=day,
        end_date=day + timedelta(days=1),
        venue="Nhà văn hóa phường Cẩm Thành",
        status=WorkshopStatus.HELD,
        outcome_summary="Học viên nắm được kỹ năng lập kế hoạch kinh doanh và ghi chép sổ sách; đề xuất mở thêm lớp.",
        themes=[themes[code] for code in ("management_skills", "market_access") if code in themes],
    )
    participants = {
        name: services.participant_add(
            workshop=workshop,
            full_name=name,
            gender=gender,
            organisation_name=organisation,
            organisation_kind=kind,
            position=position,
            attended=attended,
        )
        for name, gender, organisation, kind, position, attended in EARLIER_GUESTS
    }
    services.presentation_add(
        workshop=workshop,
        title="Kỹ năng lập kế hoạch kinh doanh cho hợp tác xã, tổ hợp tác",
        presenter="Ông Trần Văn Phúc, Liên minh Hợp tác xã tỉnh",
    )
    services.presentation_add(
        workshop=workshop,
        title="Kinh nghiệm đưa sản phẩm tổ hợp tác vào siêu thị",
        presenter="Bà Ngô Thị Hạnh, Tổ hợp tác May mặc Cẩm Thành",
    )
    _seed_solutions(
        workshop,
        [
            (
                "Mở thêm lớp tập huấn kế toán cho tổ hợp tác trên địa bàn phường.",
                "management_skills",
                "Phạm Thị Hoa",
                "Hội LHPN phường Cẩm Thành",
                "medium",
                date(2024, 6, 30),
                [
                    (ADOPTED, date(2023, 11, 2), ""),
                    (IN_PROGRESS, date(2024, 3, 4), ""),
                    (DONE, date(2024, 6, 14), "Đã mở 1 lớp cho 25 học viên."),
                ],
            ),
            (
                "Giới thiệu sản phẩm của tổ hợp tác tại chợ phiên cuối tuần của phường.",
                "market_access",
                "Ngô Thị Hạnh",
                "UBND phường Cẩm Thành",
                "low",
                date(2024, 3, 31),
                [(DECLINED, date(2023, 12, 1), "Chợ phiên tạm dừng để chỉnh trang đô thị.")],
            ),
        ],
        themes,
        participants,
        mover,
    )


def _seed_planned_workshop(themes):
    if Workshop.objects.filter(title=PLANNED_TITLE).exists():
        return
    day = timezone.localdate() + timedelta(days=45)
    services.workshop_create(
        title=PLANNED_TITLE,
        purpose="Đánh giá kết quả thực hiện Đề án 01 và các giải pháp đề xuất tại hội thảo ngày 26/09/2024.",
        organiser_level=OrganiserLevel.PROVINCE,
        start_date=day,
        end_date=day,
        venue="Hội trường Hội LHPN tỉnh",
        status=WorkshopStatus.PLANNED,
        themes=[themes[code] for code in ("financial_support", "mobilising_women", "market_access") if code in themes],
    )
