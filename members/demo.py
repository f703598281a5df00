"""The demo province's registers, written through the services.

On DEMO_WORKSHOP_DATE the figures are the ones the Union's article quotes: 16 women-managed
cooperatives with 396 members, 145 of them women, 48 of those women in management, and 6 of the
16 with members from ethnic minorities (Hrê, Co, Xơ-đăng). Around them stand cooperative groups,
cooperatives chaired by men and one dissolved cooperative. The history goes on after that day (people
join and leave, two chairs change, a consent is withdrawn), so today's figures differ from it.

Every row follows from the tables below and one random generator with a fixed seed: each run writes
the same registers. A run that finds the demo registration numbers already there writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cooperatives.models import AdministrativeUnit, Governance, LegalForm, Organisation, Sector, Status
from cooperatives.services import organisation_register, organisation_update

from .models import EthnicGroup, Gender, MemberType
from .roles import Role
from .services import (
    ethnicity_consent_withdraw,
    membership_add,
    membership_end,
    person_create,
    position_appoint,
    position_end,
)

# The day of the Union's workshop in the article; the registers' figures are built around it.
DEMO_WORKSHOP_DATE = date(2024, 9, 26)

SEED = 20240926
KINH, XO_DANG, BA_NA, HRE, CO = "01", "14", "13", "19", "30"
ETHNIC_GROUPS_USED = [KINH, XO_DANG, BA_NA, HRE, CO]
FEMALE, MALE = Gender.FEMALE, Gender.MALE

# The Union began collecting written, informed consent to record ethnicity when Decree 13/2023 came into force.
CONSENT_FORMS_FROM = date(2023, 7, 1)
# Project 01 (Decision 01/QĐ-TTg, 3 January 2023) is when the Union began supporting these organisations.
PROJECT_01_SUPPORT_FROM = date(2023, 3, 1)
# History after the workshop runs up to here, well before any day the demo is loaded.
HISTORY_UNTIL = date(2026, 6, 30)


@dataclass(frozen=True)
class DemoOrganisation:
    """One organisation and the people in it; ``women`` and ``men`` are its members on the workshop day
    (or, for one founded later, at its founding), of whom the first ``*_managers`` hold a role that day."""

    name: str
    commune: str  # 2025 scheme code
    address: str
    sectors: tuple[str, ...]
    main_products: str
    founded_on: date
    women: int
    men: int
    women_managers: int
    men_managers: int
    registration_number: str | None = None
    legal_form: str = LegalForm.COOPERATIVE
    governance: str = Governance.FULL
    top_role_held_by: str = FEMALE
    minority: tuple[str, int] = ("", 0)  # an ethnic group and how many of the members belong to it, with consent
    minority_not_stated: int = 0  # members from the commune's minority who did not consent: "not stated"
    chair_directs: bool = False  # the chair is the director too: one woman, two roles
    hired_director: bool = False  # a director from outside, not a member
    previous_chair_until: date | None = None  # a woman member chaired it from the founding until then
    joins_on_the_day: int = 0  # of the women members on the workshop day, how many joined that very day
    leaves_on_the_day: int = 0  # people (a woman first) whose membership ends on the workshop day
    left_before: int = 1
    left_after: int = 1
    joined_after: int = 2
    dissolved_on: date | None = None


def _cooperative(number, name, commune, address, sectors, products, founded_on, women, men, women_mgr, men_mgr, **kw):
    return DemoOrganisation(
        name=name,
        commune=commune,
        address=address,
        sectors=sectors,
        main_products=products,
        founded_on=founded_on,
        women=women,
        men=men,
        women_managers=women_mgr,
        men_managers=men_mgr,
        registration_number=f"43007{number:05d}",
        **kw,
    )


def _group(name, commune, address, sectors, products, founded_on, women, men, women_mgr, men_mgr, **kw):
    return DemoOrganisation(
        name=name,
        commune=commune,
        address=address,
        sectors=sectors,
        main_products=products,
        founded_on=founded_on,
        women=women,
        men=men,
        women_managers=women_mgr,
        men_managers=men_mgr,
        legal_form=LegalForm.COOPERATIVE_GROUP,
        **kw,
    )


# The 16 women-managed cooperatives of the article. Columns: registration, name, commune, address,
# sectors, products, founded, women and men members on the workshop day, women and men in management.
WOMEN_MANAGED_COOPERATIVES = [
    _cooperative(
        12016,
        "Hợp tác xã Nông nghiệp Đồng Xuân",
        "21235",
        "Thôn Đồng Xuân",
        ("agriculture", "trade_services"),
        "Lúa giống, rau an toàn, phân bón hữu cơ vi sinh",
        date(2016, 3, 15),
        12,
        30,
        4,
        3,
        chair_directs=True,
        joins_on_the_day=1,
        leaves_on_the_day=2,
    ),
    _cooperative(
        23017,
        "Hợp tác xã Dệt thổ cẩm Làng Teng",
        "21484",
        "Làng Teng",
        ("handicrafts",),
        "Thổ cẩm Hrê: váy, khố, túi, khăn choàng",
        date(2017, 8, 22),
        16,
        6,
        4,
        1,
        minority=(HRE, 14),
    ),
    _cooperative(
        31015,
        "Hợp tác xã Nông lâm nghiệp Quế Trà Bồng",
        "21115",
        "Thôn Bắc Nguyên",
        ("agriculture", "processing"),
        "Quế vỏ, tinh dầu quế, cây keo giống",
        date(2015, 11, 10),
        9,
        24,
        3,
        3,
        minority=(CO, 18),
        previous_chair_until=date(2021, 3, 20),
    ),
    _cooperative(
        44019,
        "Hợp tác xã Dược liệu Sơn Tây",
        "21340",
        "Thôn Huy Măng",
        ("agriculture",),
        "Sâm dây, ba kích, đẳng sâm, mật ong rừng",
        date(2019, 5, 6),
        8,
        17,
        3,
        2,
        minority=(XO_DANG, 15),
    ),
    _cooperative(
        52018,
        "Hợp tác xã Nông sản Sơn Hà",
        "21289",
        "Thôn Gò Da",
        ("agriculture", "processing"),
        "Keo nguyên liệu, mì (sắn), chuối, gà đồi",
        date(2018, 4, 18),
        7,
        22,
        3,
        3,
        minority=(HRE, 12),
    ),
    _cooperative(
        63020,
        "Hợp tác xã Dịch vụ Nông nghiệp Minh Long",
        "21361",
        "Thôn Làng Răm",
        ("agriculture", "trade_services"),
        "Chè xanh, gà thả vườn, heo kiềng",
        date(2020, 1, 9),
        8,
        16,
        3,
        2,
        minority=(HRE, 9),
    ),
    _cooperative(
        71014,
        "Hợp tác xã Tỏi Lý Sơn",
        "21548",
        "Thôn Đông",
        ("agriculture",),
        "Tỏi cô đơn, hành tím, tỏi đen",
        date(2014, 9, 30),
        10,
        26,
        3,
        3,
        previous_chair_until=DEMO_WORKSHOP_DATE,
    ),
    _cooperative(
        84012,
        "Hợp tác xã Muối và Nước mắm Sa Huỳnh",
        "21478",
        "Tổ dân phố Thạnh Đức",
        ("processing", "aquaculture"),
        "Muối biển, nước mắm, cá cơm khô",
        date(2012, 6, 12),
        9,
        18,
        3,
        3,
    ),
    _cooperative(
        92018,
        "Hợp tác xã Mạch nha Thi Phổ",
        "21400",
        "Thôn Thi Phổ",
        ("processing",),
        "Mạch nha, kẹo gương, kẹo đậu phộng",
        date(2018, 10, 25),
        12,
        6,
        4,
        1,
        chair_directs=True,
        leaves_on_the_day=1,
    ),
    _cooperative(
        10519,
        "Hợp tác xã Thương mại Dịch vụ Cẩm Thành",
        "21025",
        "45 Phan Đình Phùng",
        ("trade_services",),
        "Đặc sản Quảng Ngãi: đường phổi, kẹo gương, cá bống sông Trà",
        date(2019, 12, 2),
        8,
        10,
        3,
        2,
        hired_director=True,
    ),
    _cooperative(
        11621,
        "Hợp tác xã Rau an toàn Nghĩa Lộ",
        "21028",
        "Tổ dân phố 3",
        ("agriculture",),
        "Rau ăn lá, rau gia vị, hoa cúc",
        date(2021, 2, 24),
        7,
        9,
        2,
        1,
        governance=Governance.SIMPLIFIED,
    ),
    _cooperative(
        12716,
        "Hợp tác xã Chế biến Hải sản Tịnh Khê",
        "21211",
        "Thôn Mỹ Lai",
        ("processing", "aquaculture"),
        "Cá cơm khô, mực một nắng, ruốc",
        date(2016, 7, 7),
        10,
        20,
        3,
        3,
    ),
    _cooperative(
        13820,
        "Hợp tác xã Du lịch Cộng đồng Măng Đen",
        "23473",
        "Làng Kon Pring",
        ("tourism", "trade_services"),
        "Nhà nghỉ cộng đồng, ẩm thực, cà phê, rượu cần",
        date(2020, 9, 15),
        9,
        10,
        3,
        2,
        minority=(XO_DANG, 11),
    ),
    _cooperative(
        14917,
        "Hợp tác xã Cà phê Đăk Hà",
        "23500",
        "Thôn 4",
        ("agriculture", "processing"),
        "Cà phê nhân, cà phê rang xay, mắc ca",
        date(2017, 3, 3),
        6,
        17,
        2,
        3,
        minority_not_stated=5,
    ),
    _cooperative(
        15019,
        "Hợp tác xã Mây tre đan Đức Phổ",
        "21439",
        "Tổ dân phố Phước Thạnh",
        ("handicrafts",),
        "Rổ, rá, giỏ mây, đồ lưu niệm bằng tre",
        date(2019, 6, 20),
        8,
        6,
        3,
        1,
    ),
    _cooperative(
        16122,
        "Hợp tác xã Dịch vụ Tổng hợp Bình Minh",
        "21085",
        "Thôn Phước Hòa",
        ("agriculture", "trade_services"),
        "Dịch vụ làm đất, giống cây trồng, vật tư nông nghiệp",
        date(2022, 4, 11),
        6,
        14,
        2,
        1,
        governance=Governance.SIMPLIFIED,
    ),
]

OTHER_ORGANISATIONS = [
    _cooperative(
        20197,
        "Hợp tác xã Nông nghiệp Sơn Tịnh",
        "21220",
        "Thôn Trường Thọ",
        ("agriculture",),
        "Lúa, ngô, dịch vụ thủy lợi",
        date(1997, 12, 20),
        8,
        17,
        1,
        4,
        top_role_held_by=MALE,
    ),
    _cooperative(
        20215,
        "Hợp tác xã Dịch vụ Nghề cá Lý Sơn",
        "21548",
        "Thôn Tây",
        ("aquaculture", "trade_services"),
        "Hậu cần nghề cá, nước đá, ngư cụ",
        date(2015, 5, 5),
        3,
        15,
        0,
        4,
        top_role_held_by=MALE,
    ),
    # Chaired by a man: a woman director does not make it women-managed.
    _cooperative(
        20310,
        "Hợp tác xã Nông nghiệp Nghĩa Hành",
        "21364",
        "Thôn Phú Lâm Đông",
        ("agriculture",),
        "Lúa, mía, dịch vụ làm đất",
        date(2010, 1, 15),
        6,
        12,
        2,
        1,
        top_role_held_by=MALE,
    ),
    _cooperative(
        20416,
        "Hợp tác xã May mặc Trương Quang Trọng",
        "21172",
        "Tổ dân phố 5",
        ("other",),
        "May gia công quần áo bảo hộ lao động",
        date(2016, 3, 8),
        14,
        2,
        3,
        0,
        dissolved_on=date(2023, 12, 29),
        left_before=0,
        left_after=0,
        joined_after=0,
    ),
    _group(
        "Tổ hợp tác Rau an toàn Cẩm Thành",
        "21025",
        "Tổ dân phố 7",
        ("agriculture",),
        "Rau ăn lá, rau mầm",
        date(2020, 5, 12),
        6,
        2,
        2,
        0,
    ),
    _group(
        "Tổ hợp tác Chăn nuôi gà Sơn Hà",
        "21289",
        "Thôn Tà Man",
        ("agriculture",),
        "Gà thả đồi",
        date(2021, 8, 3),
        7,
        3,
        2,
        0,
        minority=(HRE, 6),
    ),
    _group(
        "Tổ hợp tác Bánh tráng Nghĩa Lộ",
        "21028",
        "Tổ dân phố 2",
        ("processing",),
        "Bánh tráng, bánh tráng mè",
        date(2019, 11, 20),
        5,
        1,
        1,
        0,
    ),
    _group(
        "Tổ hợp tác Đan lát Ba Tơ",
        "21484",
        "Thôn Làng Mạ",
        ("handicrafts",),
        "Gùi, nia, mủng đan tre",
        date(2022, 3, 14),
        5,
        2,
        1,
        1,
        minority=(HRE, 5),
    ),
    _group(
        "Tổ hợp tác Dệt thổ cẩm Kon Tum",
        "23293",
        "Làng Kon Klor",
        ("handicrafts",),
        "Thổ cẩm Ba-na",
        date(2025, 6, 15),
        7,
        0,
        1,
        0,
        minority=(BA_NA, 7),
        left_before=0,
        left_after=0,
        joined_after=1,
    ),
]

ALL_ORGANISATIONS = WOMEN_MANAGED_COOPERATIVES + OTHER_ORGANISATIONS

# Management roles in the order members take them: the top role first (roles.top_role_for).
ROLES_IN_ORDER = {
    Governance.FULL: [
        Role.CHAIR,
        Role.DIRECTOR,
        Role.SUPERVISORY_HEAD,
        Role.CHIEF_ACCOUNTANT,
        Role.BOARD_MEMBER,
        Role.DEPUTY_DIRECTOR,
        Role.SUPERVISORY_MEMBER,
        Role.BOARD_MEMBER,
    ],
    Governance.SIMPLIFIED: [Role.DIRECTOR, Role.CONTROLLER, Role.CHIEF_ACCOUNTANT, Role.DEPUTY_DIRECTOR],
    LegalForm.COOPERATIVE_GROUP: [Role.GROUP_LEADER, Role.CHIEF_ACCOUNTANT],
}


@dataclass(frozen=True)
class NamePool:
    family: tuple[str, ...]
    middle: dict
    given: dict


KINH_NAMES = NamePool(
    family=(
        "Nguyễn",
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Huỳnh",
        "Võ",
        "Phan",
        "Trương",
        "Bùi",
        "Đặng",
        "Đỗ",
        "Ngô",
        "Hồ",
        "Dương",
        "Lương",
        "Đoàn",
        "Châu",
        "Trịnh",
        "Mai",
    ),
    middle={
        FEMALE: ("Thị", "Thị", "Thị", "Thị Thu", "Thị Kim", "Thị Mỹ", "Thị Ngọc", "Thị Thanh", "Thị Bích", "Thị Minh"),
        MALE: ("Văn", "Văn", "Văn", "Minh", "Công", "Đức", "Ngọc", "Hữu", "Quốc", "Thanh", "Tấn"),
    },
    given={
        FEMALE: (
            "Hoa",
            "Lan",
            "Mai",
            "Hương",
            "Hạnh",
            "Thu",
            "Hằng",
            "Nga",
            "Loan",
            "Phượng",
            "Liên",
            "Tuyết",
            "Hồng",
            "Xuân",
            "Thảo",
            "Trang",
            "Vân",
            "Yến",
            "Nhung",
            "Dung",
            "Hiền",
            "Lệ",
            "Sương",
            "Oanh",
            "Thủy",
            "Diễm",
            "Nhi",
            "Kiều",
            "Tâm",
            "Ánh",
            "My",
            "Quyên",
            "Trinh",
            "Phương",
            "Hà",
            "Nhàn",
            "Thắm",
            "Huệ",
        ),
        MALE: (
            "Hùng",
            "Dũng",
            "Tuấn",
            "Minh",
            "Hải",
            "Sơn",
            "Long",
            "Tâm",
            "Phúc",
            "Bình",
            "Thành",
            "Trung",
            "Nam",
            "Quang",
            "Cường",
            "Hòa",
            "Lộc",
            "Tài",
            "Thắng",
            "Vinh",
            "Hiếu",
            "Khánh",
            "Phong",
            "Toàn",
            "Tín",
            "Nhân",
            "Nghĩa",
            "Lợi",
            "Hoàng",
            "Kiên",
            "Sang",
            "Thọ",
            "Đạt",
            "Phước",
            "Bảo",
            "Huy",
        ),
    },
)
HRE_NAMES = NamePool(
    family=("Đinh", "Phạm", "Đinh", "Phạm", "Đinh"),
    middle={FEMALE: ("Thị",), MALE: ("Văn",)},
    given={
        FEMALE: (
            "Hơn",
            "Sun",
            "Mót",
            "Nút",
            "Bảy",
            "Liên",
            "Đào",
            "Hoa",
            "Xí",
            "Lanh",
            "Tin",
            "Nhói",
            "Bông",
            "Tươi",
            "Rin",
            "Mười",
            "Thơm",
            "Lịch",
        ),
        MALE: (
            "Lứ",
            "Bát",
            "Hổ",
            "Ấm",
            "Bia",
            "Ruôi",
            "Xuyên",
            "Thiên",
            "Pho",
            "Đích",
            "Rân",
            "Vên",
            "Nhiêu",
            "Triều",
            "Lai",
            "Mốc",
            "Xiêm",
            "Rê",
            "Gốc",
            "Bằng",
        ),
    },
)
CO_NAMES = NamePool(
    family=("Hồ", "Hồ", "Đinh"),
    middle={FEMALE: ("Thị",), MALE: ("Văn",)},
    given={
        FEMALE: ("Bé", "Kim", "Mến", "Thể", "Vân", "Nhánh", "Điều", "Dương", "Lê", "Hoanh", "Pá", "Liếu", "Chum"),
        MALE: (
            "Niên",
            "Lợi",
            "Mía",
            "Đảng",
            "Diết",
            "Vỏ",
            "Bưới",
            "Tương",
            "Quế",
            "Rết",
            "Chép",
            "Trưng",
            "Lẻ",
            "Bốn",
            "Vân",
            "Quyết",
            "Dục",
            "Nẻo",
            "Trinh",
        ),
    },
)
# Xơ-đăng of the Ca Dong group west of Quảng Ngãi take Kinh-style family names.
CA_DONG_NAMES = NamePool(
    family=("Đinh", "Đinh", "Hồ", "Đinh"),
    middle={FEMALE: ("Thị",), MALE: ("Văn",)},
    given={
        FEMALE: ("Pin", "Hà", "Nhung", "Bích", "Ngọc", "Thúy", "Mưa", "Lé", "Đon", "Xuyên", "Hiên", "Thăm"),
        MALE: (
            "Ngót",
            "Bơ",
            "Mây",
            "Ngọc",
            "Sang",
            "Chương",
            "Hùng",
            "Vố",
            "Pâng",
            "Lương",
            "Tèo",
            "Kế",
            "Xoan",
            "Đép",
            "Nuôi",
            "Bổn",
            "Vương",
        ),
    },
)
# In the former Kon Tum, Xơ-đăng and Ba-na names have no family name: A for a man, Y for a woman.
KON_TUM_NAMES = NamePool(
    family=("",),
    middle={FEMALE: ("Y",), MALE: ("A",)},
    given={
        FEMALE: (
            "Blin",
            "Bông",
            "Điểm",
            "Xuân",
            "Thu",
            "Nhung",
            "Hlin",
            "Đơm",
            "Phương",
            "Hnơ",
            "Ngọc",
            "Lan",
            "Hrin",
            "Gyin",
            "Mai",
            "Thiêm",
            "Luyến",
            "Rơ",
            "Hiên",
            "Khuê",
        ),
        MALE: (
            "Thút",
            "Pôn",
            "Lâm",
            "Ngọc",
            "Dũng",
            "Brôh",
            "Khen",
            "Đăm",
            "Hmưn",
            "Tôn",
            "Khâm",
            "Thiêu",
            "Rin",
            "Ding",
            "Blong",
            "Kiên",
            "Yên",
        ),
    },
)


def _name_pool(ethnic_code, commune_code):
    if commune_code.startswith("23") and ethnic_code in (XO_DANG, BA_NA):
        return KON_TUM_NAMES
    return {HRE: HRE_NAMES, CO: CO_NAMES, XO_DANG: CA_DONG_NAMES}.get(ethnic_code, KINH_NAMES)


class Seeder:
    """Writes the registers in one pass; everything random comes from one generator with a fixed seed."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.used_names = set()
        self.serial = 0
        self.ethnic_groups = {group.code: group for group in EthnicGroup.objects.filter(code__in=ETHNIC_GROUPS_USED)}
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}
        communes = AdministrativeUnit.objects.filter(
            scheme="2025", level="commune", code__in={spec.commune for spec in ALL_ORGANISATIONS}
        )
        self.communes = {unit.code: unit for unit in communes}

    def day_between(self, first, last):
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def full_name(self, gender, pool):
        """Family name, middle name, given name, as Vietnamese write them; no two demo people share one."""
        while True:
            parts = (
                self.rng.choice(pool.family),
                self.rng.choice(pool.middle[gender]),
                self.rng.choice(pool.given[gender]),
            )
            name = " ".join(part for part in parts if part)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def person(self, *, gender, joined_on, commune_code, ethnic_code=KINH, consented=True, phone=False):
        """A new adult; ethnicity is stored only with consent, and one Kinh person in six gave none."""
        self.serial += 1
        birth_year = self.rng.randint(1958, joined_on.year - 20)
        fields = {}
        if ethnic_code == KINH and self.serial % 6 == 0:
            consented = False
        if consented:
            fields.update(
                ethnic_group=self.ethnic_groups[ethnic_code],
                ethnicity_consent_on=max(joined_on, CONSENT_FORMS_FROM),
                ethnicity_consent_informed=True,
            )
        if self.serial % 3 == 0:
            # Citizen ID: province of birth (Quảng Ngãi 051, the former Kon Tum 062), century and sex, year, serial.
            birth_province = "062" if commune_code.startswith("23") else "051"
            century_sex = (0 if birth_year < 2000 else 2) + (gender == FEMALE)
            fields["citizen_id"] = f"{birth_province}{century_sex}{birth_year % 100:02d}{self.serial:06d}"
        if phone:
            fields["phone"] = f"09{(self.serial * 7919) % 100_000_000:08d}"
        return person_create(
            full_name=self.full_name(gender, _name_pool(ethnic_code, commune_code)),
            gender=gender,
            birth_year=birth_year,
            commune=self.communes[commune_code],
            **fields,
        )

    def join(self, person, organisation, joined_on, index=0, founder=False):
        """Founders are official members; later, about one member in five is an associate."""
        if organisation.legal_form == LegalForm.COOPERATIVE_GROUP:
            member_type, capital = MemberType.GROUP_MEMBER, 0
        elif founder:
            member_type, capital = MemberType.OFFICIAL, self.rng.randint(10, 60) * 1_000_000
        elif index % 11 == 5:
            member_type, capital = MemberType.ASSOCIATE_CAPITAL, self.rng.randint(5, 20) * 1_000_000
        elif index % 11 == 8:
            member_type, capital = MemberType.ASSOCIATE_NO_CAPITAL, 0
        else:
            member_type, capital = MemberType.OFFICIAL, self.rng.randint(4, 60) * 500_000
        return membership_add(
            person=person,
            organisation=organisation,
            member_type=member_type,
            joined_on=joined_on,
            capital_contributed=capital,
        )

    def newcomer(self, spec, organisation, *, gender, joined_on, index=0, ethnic_code=KINH):
        """Someone from the commune who joins on ``joined_on``."""
        person = self.person(gender=gender, joined_on=joined_on, commune_code=spec.commune, ethnic_code=ethnic_code)
        return self.join(person, organisation, joined_on, index)

    def register(self, spec):
        """The organisation, its members of the workshop day, their roles, and the comings and goings around."""
        fields = {}
        if spec.registration_number:
            fields.update(registration_number=spec.registration_number, registration_date=spec.founded_on)
        organisation = organisation_register(
            name=spec.name,
            legal_form=spec.legal_form,
            commune=self.communes[spec.commune],
            sectors=[self.sectors[code] for code in spec.sectors],
            address=spec.address,
            main_products=spec.main_products,
            founded_on=spec.founded_on,
            governance=spec.governance,
            supported_since=max(spec.founded_on, PROJECT_01_SUPPORT_FROM),
            phone=f"0255 38{self.rng.randint(10_000, 99_999)}",
            **fields,
        )
        day = DEMO_WORKSHOP_DATE
        if spec.founded_on >= day:
            last_joining = spec.founded_on + timedelta(days=120)
        else:
            last_joining = min(day, spec.dissolved_on or day) - timedelta(days=30)

        genders = [FEMALE] * spec.women + [MALE] * spec.men
        total = len(genders)
        minority_code, minority_count = spec.minority
        minority_at = {k * total // minority_count for k in range(minority_count)} if minority_count else set()
        not_stated_at = {total - 1 - k * 3 for k in range(spec.minority_not_stated)}
        founders = {*range(spec.women_managers), *range(spec.women, spec.women + spec.men_managers)}
        if spec.previous_chair_until:
            founders.add(_previous_chair_index(spec))

        members = []
        for index, gender in enumerate(genders):
            if index in founders:
                joined_on = spec.founded_on
            elif spec.women - spec.joins_on_the_day <= index < spec.women:
                joined_on = day
            else:
                joined_on = self.day_between(spec.founded_on, last_joining)
            if index in minority_at:
                ethnic_code, consented = minority_code, True
            elif index in not_stated_at:
                ethnic_code, consented = XO_DANG, False
            else:
                ethnic_code, consented = KINH, True
            person = self.person(
                gender=gender,
                joined_on=joined_on,
                commune_code=spec.commune,
                ethnic_code=ethnic_code,
                consented=consented,
                phone=index in founders,
            )
            members.append(self.join(person, organisation, joined_on, index, founder=index in founders))

        self.appoint_management(spec, organisation, members)
        self.comings_and_goings(spec, organisation, members)
        if spec.dissolved_on:
            self.dissolve(organisation, spec.dissolved_on)
        return organisation, members

    def appoint_management(self, spec, organisation, members):
        """The top role to the first manager of its holder's sex, then the other roles in order."""
        women_managers = members[: spec.women_managers]
        men_managers = members[spec.women : spec.women + spec.men_managers]
        if spec.top_role_held_by == FEMALE:
            holders = women_managers + men_managers
        else:
            holders = men_managers + women_managers
        is_group = spec.legal_form == LegalForm.COOPERATIVE_GROUP
        roles = list(ROLES_IN_ORDER[LegalForm.COOPERATIVE_GROUP if is_group else spec.governance])
        top_role = roles.pop(0)
        top = holders[0].person

        def appoint(person, role, started_on=spec.founded_on):
            return position_appoint(person=person, organisation=organisation, role=role, started_on=started_on)

        if spec.previous_chair_until:
            # The one who chaired before is an ordinary woman member on the workshop day.
            previous = appoint(members[_previous_chair_index(spec)].person, top_role).instance
            position_end(position=previous, on=spec.previous_chair_until)
            appoint(top, top_role, started_on=spec.previous_chair_until)
        else:
            appoint(top, top_role)
        if spec.chair_directs or spec.hired_director:
            roles.remove(Role.DIRECTOR)
        if spec.chair_directs:
            appoint(top, Role.DIRECTOR)
        if spec.hired_director:
            # Not a member: the service warns, and the figures do not count her among the members.
            director = self.person(gender=FEMALE, joined_on=spec.founded_on, commune_code=spec.commune, phone=True)
            appoint(director, Role.DIRECTOR, started_on=date(2022, 1, 10))
        for membership, role in zip(holders[1:], roles, strict=False):
            appoint(membership.person, role)

    def comings_and_goings(self, spec, organisation, members):
        """Members who left before the workshop or on its day, and after it some leave and others join."""
        day = DEMO_WORKSHOP_DATE
        for index in range(spec.left_before):
            joined_on = self.day_between(spec.founded_on, day - timedelta(days=400))
            left = self.newcomer(spec, organisation, gender=(MALE, FEMALE)[index % 2], joined_on=joined_on, index=index)
            left_on = self.day_between(joined_on + timedelta(days=180), day - timedelta(days=30))
            membership_end(membership=left, on=left_on)
        for index in range(spec.leaves_on_the_day):
            joined_on = self.day_between(spec.founded_on, day - timedelta(days=365))
            leaving = self.newcomer(
                spec, organisation, gender=(FEMALE, MALE)[index % 2], joined_on=joined_on, index=index
            )
            membership_end(membership=leaving, on=day)

        after = max(day, spec.founded_on) + timedelta(days=1)
        ordinary_women = members[spec.women_managers : _previous_chair_index(spec)]
        ordinary_men = members[spec.women + spec.men_managers :]
        for leaving in self.rng.sample(ordinary_women + ordinary_men, spec.left_after):
            membership_end(membership=leaving, on=self.day_between(after, HISTORY_UNTIL))
        for index in range(spec.joined_after):
            self.newcomer(
                spec,
                organisation,
                gender=(FEMALE, MALE)[index % 2],
                joined_on=self.day_between(after, HISTORY_UNTIL),
                index=index,
                ethnic_code=spec.minority[0] or KINH,
            )

    def dissolve(self, organisation, on):
        """Members leave and terms end on the day of dissolution; the register keeps them all."""
        for membership in organisation.memberships.filter(left_on__isnull=True):
            membership_end(membership=membership, on=on)
        for position in organisation.positions.filter(ended_on__isnull=True):
            position_end(position=position, on=on)
        organisation_update(organisation=organisation, status=Status.DISSOLVED, status_changed_on=on)


def _previous_chair_index(spec):
    """The last woman member who did not join on the workshop day: an ordinary member on that day."""
    return spec.women - spec.joins_on_the_day - 1


def seed_registers():
    """Write the demo registers once; a later run finds them and leaves them alone."""
    demo_numbers = [spec.registration_number for spec in ALL_ORGANISATIONS if spec.registration_number]
    if Organisation.objects.filter(registration_number__in=demo_numbers).exists():
        return
    seeder = Seeder()
    registered = {spec.name: seeder.register(spec) for spec in ALL_ORGANISATIONS}
    _stories(seeder, registered)


def _stories(seeder, registered):
    """Single events, two before the workshop and four after it, that make today's figures differ."""

    # A woman of Sơn Hà has also been a member in neighbouring Minh Long since 2021: she counts once.
    _, son_ha_members = registered["Hợp tác xã Nông sản Sơn Hà"]
    minh_long, _ = registered["Hợp tác xã Dịch vụ Nông nghiệp Minh Long"]
    seeder.join(son_ha_members[5].person, minh_long, date(2021, 5, 4))

    # A Co woman who had moved to Cẩm Thành left before the workshop: the cooperative then had no minority member.
    cam_thanh, _ = registered["Hợp tác xã Thương mại Dịch vụ Cẩm Thành"]
    moved = seeder.person(gender=FEMALE, joined_on=date(2020, 6, 1), commune_code="21025", ethnic_code=CO)
    membership_end(membership=seeder.join(moved, cam_thanh, date(2020, 6, 1)), on=date(2023, 10, 31))

    # Sa Huỳnh's chair retires in March 2025 and the board elects a man: no longer women-managed.
    sa_huynh, sa_huynh_members = registered["Hợp tác xã Muối và Nước mắm Sa Huỳnh"]
    _hand_over_chair(sa_huynh, successor=sa_huynh_members[9].person, on=date(2025, 3, 1))

    # Tịnh Khê's chair hands over to another woman of the board: still women-managed.
    tinh_khe, tinh_khe_members = registered["Hợp tác xã Chế biến Hải sản Tịnh Khê"]
    _hand_over_chair(tinh_khe, successor=tinh_khe_members[1].person, on=date(2025, 5, 20))

    # A Hrê man from Ba Tơ settles on Lý Sơn and joins its garlic cooperative.
    ly_son, _ = registered["Hợp tác xã Tỏi Lý Sơn"]
    newcomer = seeder.person(gender=MALE, joined_on=date(2025, 4, 1), commune_code="21548", ethnic_code=HRE)
    seeder.join(newcomer, ly_son, date(2025, 4, 1))

    # A weaver of Làng Teng withdraws her consent: her ethnicity is erased and she counts as "not stated".
    _, lang_teng_members = registered["Hợp tác xã Dệt thổ cẩm Làng Teng"]
    ethnicity_consent_withdraw(person=lang_teng_members[6].person, on=date(2025, 2, 10))


def _hand_over_chair(organisation, *, successor, on):
    chair = organisation.positions.get(role=Role.CHAIR, ended_on__isnull=True)
    position_end(position=chair, on=on)
    position_appoint(person=successor, organisation=organisation, role=Role.CHAIR, started_on=on)
