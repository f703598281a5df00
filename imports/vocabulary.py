"""How Union offices write their registers, and what each word means in the portal.

Column headers and values are matched on ``header_key`` (lower case, no diacritics, punctuation as
spaces), so "Họ và tên", "HỌ VÀ TÊN" and "Ho va ten" are one header. Value words come from the
portal's own labels in both languages (what its downloads print, so a download imports back) and
from the words registers use (DOMAIN.md: legal forms, member types, management roles).
"""

import re
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Governance, LegalForm
from coopportal.fields import parse_amount
from coopportal.text import identity_key
from coopportal.uploads import header_key
from members.models import Gender, MemberType
from members.roles import Role


class ValueProblem(ValueError):
    """A cell whose value cannot be read; the message says why, in the user's language."""


ORGANISATIONS = "organisations"
MEMBERS = "members"
IGNORED = "ignored"


def _keys(*texts):
    return {header_key(text) for text in texts}


# Fields of an organisations sheet, each with the headers that name it.
ORGANISATION_COLUMNS = {
    "name": _keys(
        "Tên",
        "Tên HTX",
        "Tên tổ chức",
        "Tên hợp tác xã",
        "Tên HTX/THT",
        "Tên HTX, THT",
        "Tên đơn vị",
        "Tên HTX/THT/LH HTX",
        "Tên tổ hợp tác",
        "Tên hợp tác xã, tổ hợp tác",
        "Name",
        "Organisation name",
        "Organization name",
    ),
    "legal_form": _keys("Loại hình", "Loại hình tổ chức", "Hình thức", "Loại hình HTX/THT", "Legal form", "Loại"),
    "commune": _keys(
        "Xã",
        "Xã, phường",
        "Xã/phường",
        "Xã, phường, đặc khu",
        "Địa bàn",
        "Địa bàn (xã, phường)",
        "Xã, phường, thị trấn",
        "Đơn vị hành chính",
        "Commune",
    ),
    "address": _keys("Địa chỉ", "Trụ sở", "Địa chỉ trụ sở", "Address"),
    "sectors": _keys(
        "Ngành nghề", "Lĩnh vực", "Lĩnh vực hoạt động", "Ngành nghề kinh doanh", "Ngành", "Sector", "Sectors"
    ),
    "main_products": _keys("Sản phẩm chính", "Sản phẩm", "Main products"),
    "founded_on": _keys("Ngày thành lập", "Năm thành lập", "Thành lập", "Founding date", "Founded on"),
    "registration_number": _keys(
        "Số đăng ký",
        "Mã số",
        "Mã số HTX",
        "Mã số đăng ký",
        "Số ĐKKD",
        "Số GCN ĐKHTX",
        "Số giấy chứng nhận đăng ký",
        "Mã số thuế",
        "Registration number",
    ),
    "registration_date": _keys("Ngày đăng ký", "Ngày cấp", "Registration date"),
    "governance": _keys("Mô hình quản trị", "Mô hình tổ chức quản lý", "Governance", "Governance model"),
    "phone": _keys("Điện thoại", "Số điện thoại", "SĐT", "Phone", "Contact phone"),
    "manager_name": _keys(
        "Người quản lý / Họ tên",
        "Người quản lý / Họ và tên",
        "Người quản lý",
        "Họ tên người quản lý",
        "Người đứng đầu",
        "Người đại diện",
        "Manager",
        "Manager / Full name",
        "Manager's name",
    ),
    "manager_role": _keys(
        "Người quản lý / Chức vụ",
        "Người quản lý / Chức danh",
        "Chức vụ người quản lý",
        "Manager / Role",
        "Manager's role",
    ),
    "members_total": _keys(
        "Số thành viên",
        "Tổng số thành viên",
        "Thành viên / Tổng số",
        "Số thành viên / Tổng số",
        "Members",
    ),
    "women_total": _keys(
        "Thành viên nữ",
        "Số thành viên nữ",
        "Trong đó nữ",
        "Thành viên / Nữ",
        "Số thành viên / Nữ",
        "Số thành viên / Trong đó nữ",
        "Women members",
    ),
}
ORGANISATION_REQUIRED = ("name",)

MEMBER_COLUMNS = {
    "full_name": _keys("Họ và tên", "Họ tên", "Họ tên thành viên", "Tên thành viên", "Full name", "Name"),
    "birth_year": _keys(
        "Năm sinh",
        "Ngày sinh",
        "Ngày, tháng, năm sinh",
        "Ngày tháng năm sinh",
        "Year of birth",
        "Date of birth",
    ),
    "gender": _keys("Giới tính", "Giới", "Nam/Nữ", "Gender", "Sex"),
    "ethnic_group": _keys("Dân tộc", "Ethnic group", "Ethnicity"),
    "consent_on": _keys(
        "Ngày đồng ý",
        "Ngày đồng ý ghi dân tộc",
        "Đồng ý ghi dân tộc (ngày)",
        "Consent",
        "Consent given on",
    ),
    "commune": _keys(
        "Xã",
        "Xã, phường",
        "Nơi cư trú",
        "Nơi ở",
        "Xã nơi cư trú",
        "Xã, phường nơi cư trú",
        "Commune",
        "Commune of residence",
    ),
    "organisation_commune": _keys(
        "Xã của tổ chức",
        "Xã của HTX",
        "Xã (tổ chức)",
        "Địa bàn của tổ chức",
        "Organisation's commune",
    ),
    "organisation": _keys(
        "Tổ chức",
        "Tên HTX",
        "Tên HTX/THT",
        "HTX/THT",
        "HTX",
        "Hợp tác xã",
        "Đơn vị",
        "Thành viên của",
        "Tên tổ chức",
        "Organisation",
        "Organization",
    ),
    "member_type": _keys("Loại thành viên", "Hình thức thành viên", "Loại TV", "Member type"),
    "joined_on": _keys(
        "Ngày gia nhập",
        "Ngày kết nạp",
        "Kết nạp",
        "Ngày kết nạp thành viên",
        "Thời gian tham gia",
        "Ngày vào",
        "Ngày tham gia",
        "Năm tham gia",
        "Ngày vào HTX",
        "Joined on",
        "Date joined",
    ),
    "left_on": _keys("Ngày ra", "Ngày rời", "Ngày ra khỏi", "Left on"),
    "role": _keys(
        "Chức vụ",
        "Chức danh",
        "Chức danh quản lý",
        "Vai trò",
        "Chức vụ trong HTX",
        "Role",
        "Management roles",
        "Management role",
    ),
    "citizen_id": _keys(
        "CCCD", "Số CCCD", "Căn cước", "Số căn cước", "Căn cước công dân", "Số định danh", "Citizen ID"
    ),
    "phone": _keys("Điện thoại", "Số điện thoại", "SĐT", "Phone"),
    "capital_contributed": _keys("Vốn góp", "Số vốn góp", "Vốn góp (đồng)", "Capital contributed", "Capital"),
}
MEMBER_REQUIRED = ("full_name", "organisation")

COLUMNS = {ORGANISATIONS: ORGANISATION_COLUMNS, MEMBERS: MEMBER_COLUMNS}
REQUIRED = {ORGANISATIONS: ORGANISATION_REQUIRED, MEMBERS: MEMBER_REQUIRED}


def field_label(kind, name):
    """The field's name as the mapping form and the messages show it."""
    return str(FIELD_LABELS[kind][name])


def _labels():
    return {
        ORGANISATIONS: {
            "name": gettext_lazy("Name"),
            "legal_form": gettext_lazy("Legal form"),
            "commune": gettext_lazy("Commune"),
            "address": gettext_lazy("Address"),
            "sectors": gettext_lazy("Sectors"),
            "main_products": gettext_lazy("Main products"),
            "founded_on": gettext_lazy("Founding date"),
            "registration_number": gettext_lazy("Registration number"),
            "registration_date": gettext_lazy("Registration date"),
            "governance": gettext_lazy("Governance model"),
            "phone": gettext_lazy("Contact phone"),
            "manager_name": gettext_lazy("Manager's name"),
            "manager_role": gettext_lazy("Manager's role"),
            "members_total": gettext_lazy("Members (total, not imported)"),
            "women_total": gettext_lazy("Women members (not imported)"),
        },
        MEMBERS: {
            "full_name": gettext_lazy("Full name"),
            "birth_year": gettext_lazy("Year or date of birth"),
            "gender": gettext_lazy("Gender"),
            "ethnic_group": gettext_lazy("Ethnic group"),
            "consent_on": gettext_lazy("Consent to record ethnicity given on"),
            "commune": gettext_lazy("Commune of residence"),
            "organisation": gettext_lazy("Organisation"),
            "organisation_commune": gettext_lazy("Organisation's commune"),
            "member_type": gettext_lazy("Member type"),
            "joined_on": gettext_lazy("Joined on"),
            "left_on": gettext_lazy("Left on"),
            "role": gettext_lazy("Management roles"),
            "citizen_id": gettext_lazy("Citizen ID"),
            "phone": gettext_lazy("Phone"),
            "capital_contributed": gettext_lazy("Capital contributed (VND)"),
        },
    }


FIELD_LABELS = _labels()


def _choice_words(choices, extra):
    """Each choice's label in Vietnamese and English, its value, and the words registers use."""
    words = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                words[header_key(str(label))] = value
                words[header_key(value.replace("_", " "))] = value
    for value, texts in extra.items():
        for text in texts:
            words[header_key(text)] = value
    return words


LEGAL_FORMS = _choice_words(
    LegalForm,
    {
        LegalForm.COOPERATIVE: ("HTX", "Hợp tác xã", "HTX nông nghiệp", "Co-op"),
        LegalForm.COOPERATIVE_GROUP: ("THT", "Tổ hợp tác", "Tổ HT", "Group"),
        LegalForm.UNION: ("LH HTX", "LHHTX", "Liên hiệp HTX", "Liên hiệp hợp tác xã", "Union"),
    },
)
GOVERNANCE = _choice_words(
    Governance,
    {
        Governance.FULL: ("Đầy đủ", "Có HĐQT", "Có Hội đồng quản trị", "Full"),
        Governance.SIMPLIFIED: ("Rút gọn", "Giản đơn", "Đơn giản", "Không có HĐQT", "Simplified"),
    },
)
MEMBER_TYPES = _choice_words(
    MemberType,
    {
        MemberType.OFFICIAL: ("Chính thức", "TV chính thức", "Thành viên", "Xã viên", "Official"),
        MemberType.ASSOCIATE_CAPITAL: ("Liên kết góp vốn", "TV liên kết góp vốn", "Associate, capital"),
        MemberType.ASSOCIATE_NO_CAPITAL: (
            "Liên kết không góp vốn",
            "TV liên kết không góp vốn",
            "Thành viên liên kết",
            "Liên kết",
            "Associate",
        ),
        MemberType.GROUP_MEMBER: ("Tổ viên", "Thành viên THT", "Thành viên tổ", "Group member"),
    },
)
GENDERS = _choice_words(Gender, {Gender.FEMALE: ("Nữ", "F", "Bà", "Woman"), Gender.MALE: ("Nam", "M", "Ông", "Man")})

# "Kiểm soát viên" is the Controller of a simplified cooperative and, in registers, also a member of
# a full one's Supervisory Board (DOMAIN.md): it is read once governance is known.
CONTROLLER_WORD = "controller-or-supervisory-member"
ROLES = _choice_words(
    Role,
    {
        Role.CHAIR: ("Chủ tịch HĐQT", "Chủ tịch", "Chủ tịch Hội đồng quản trị", "CT HĐQT", "Chair"),
        Role.BOARD_MEMBER: ("Thành viên HĐQT", "Ủy viên HĐQT", "Uỷ viên HĐQT", "TV HĐQT", "Board member"),
        Role.DIRECTOR: ("Giám đốc", "Tổng giám đốc", "GĐ", "Director", "General Director"),
        Role.DEPUTY_DIRECTOR: ("Phó giám đốc", "PGĐ", "Phó GĐ", "Deputy director"),
        Role.SUPERVISORY_HEAD: ("Trưởng ban kiểm soát", "Trưởng BKS", "Trưởng ban KS"),
        Role.SUPERVISORY_MEMBER: ("Thành viên ban kiểm soát", "Thành viên BKS", "Ủy viên BKS", "Uỷ viên BKS"),
        Role.CHIEF_ACCOUNTANT: ("Kế toán", "Kế toán trưởng", "KTT", "Accountant"),
        Role.GROUP_LEADER: ("Tổ trưởng", "Tổ trưởng THT", "Trưởng nhóm", "Group leader", "Leader"),
    },
)
ROLES[header_key("Kiểm soát viên")] = CONTROLLER_WORD
ROLES[header_key("KSV")] = CONTROLLER_WORD
# Words in a role column that name no management role (DOMAIN.md's list): no position is recorded.
NOT_MANAGEMENT = _keys(
    "Thành viên",
    "Xã viên",
    "Tổ viên",
    "Tổ phó",
    "Thủ quỹ",
    "Thủ kho",
    "Nhân viên",
    "Member",
    "Không",
    "-",
)
BOARD_WORDS = frozenset({Role.CHAIR, Role.BOARD_MEMBER, Role.SUPERVISORY_HEAD, Role.SUPERVISORY_MEMBER})
COMBINED_ROLE = re.compile(r"\s*(?:\bkiêm\b|\bkiem\b|,|;|\+|&|\bvà\b|\band\b)\s*", re.IGNORECASE)


def read_choice(value, words, what):
    """The choice a word stands for; ``what`` names the column in the message."""
    key = header_key(value)
    if key in words:
        return words[key]
    raise ValueProblem(_("%(what)s “%(value)s” is not recognised") % {"what": what, "value": value})


def read_roles(value):
    """'Chủ tịch HĐQT kiêm Giám đốc' -> ['chair', 'director']; an empty cell or 'Thành viên' -> []."""
    if value is None:
        return []
    roles = []
    for part in COMBINED_ROLE.split(str(value)):
        key = header_key(part)
        if not key or key in NOT_MANAGEMENT:
            continue
        if key not in ROLES:
            raise ValueProblem(
                _("role “%(value)s” is not a management role the portal knows; write one of: %(roles)s")
                % {"value": part.strip(), "roles": "; ".join(str(label) for label in Role.labels)}
            )
        if ROLES[key] not in roles:
            roles.append(ROLES[key])
    return roles


def resolve_role(word, governance):
    """A role word once the organisation's governance is known."""
    if word == CONTROLLER_WORD:
        return Role.CONTROLLER if governance == Governance.SIMPLIFIED else Role.SUPERVISORY_MEMBER
    return word


def governance_from_roles(words):
    """Governance inferred from the roles a register lists: a board means full governance.

    Without a board, a Controller ("Kiểm soát viên") or a Director without a Chair means simplified
    governance (Law 17/2023 Art. 56: Director and Controller, no Board). Nothing to go on: full, the
    law's rule for every cooperative but the smallest.
    """
    words = set(words)
    if words & BOARD_WORDS:
        return Governance.FULL
    if CONTROLLER_WORD in words or Role.DIRECTOR in words:
        return Governance.SIMPLIFIED
    return Governance.FULL


DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def read_date(value):
    """A day from a real Excel date, '15/03/2019', '2/1/2016' (day first), '2019-03-15', '3/2019' or '2020'.

    Returns ``(day, exact)``: a month or a bare year gives its first day and ``exact`` False.
    Raises ``ValueProblem`` for text that is not a date or a day that does not exist (31/02).
    """
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    text = str(value).strip()
    try:
        if isinstance(value, int) or text.isdigit():
            year = int(text)
            if 1900 <= year <= 2100:
                return date(year, 1, 1), False
        elif match := DATE_TEXT.match(text):
            return date(int(match[3]), int(match[2]), int(match[1])), True
        elif match := ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3])), True
        elif match := MONTH_YEAR.match(text):
            return date(int(match[2]), int(match[1]), 1), False
    except ValueError as error:
        raise ValueProblem(_("“%(value)s” is not a day that exists") % {"value": text}) from error
    raise ValueProblem(_("“%(value)s” is not a date; write it as dd/mm/yyyy") % {"value": text})


def read_year(value):
    """A year of birth from '1980', 1980, a date or '15/03/1980'; returns ``(year, exact_date_or_None)``."""
    if isinstance(value, (date, datetime)) or (isinstance(value, str) and not value.strip().isdigit()):
        day, exact = read_date(value)
        return day.year, day if exact else None
    try:
        year = int(str(value).strip())
    except ValueError as error:
        raise ValueProblem(_("“%(value)s” is not a year of birth") % {"value": value}) from error
    if not 1900 <= year <= 2100:
        raise ValueProblem(_("“%(value)s” is not a year of birth") % {"value": value})
    return year, None


def read_amount(value):
    """Đồng as a whole number from 10000000, '10.000.000', '10,000,000' or '10 000 000'.

    The rule is the forms' (``coopportal.fields.parse_amount``): both separators are thousands
    separators, and an amount that could be read two ways is refused.
    """
    if isinstance(value, bool):
        raise ValueProblem(_("“%(value)s” is not an amount in đồng") % {"value": value})
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        raise ValueProblem(_("“%(value)s” is not a whole number of đồng") % {"value": value})
    else:
        try:
            amount = parse_amount(value)
        except ValueError as error:
            raise ValueProblem(str(error)) from None
    if amount < 0:
        raise ValueProblem(_("“%(value)s” is not an amount in đồng") % {"value": value})
    return amount


def read_citizen_id(value):
    """Twelve digits; a number cell that lost its leading zero (0xx province codes) gets it back."""
    text = str(value).strip().replace(" ", "")
    if isinstance(value, int) and len(text) == 11:
        text = "0" + text
    if not re.fullmatch(r"[0-9]{12}", text):
        raise ValueProblem(_("citizen ID “%(value)s” does not have exactly 12 digits") % {"value": value})
    return text


def read_text(value):
    """A text cell as stored: numbers written as text (a phone 0905…, a registration number)."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def registration_key(number):
    """Registration numbers compare without spaces, dots or leading zeros: '0123 456' is '123456'."""
    key = re.sub(r"[\s.\-/]", "", str(number)).upper()
    return key.lstrip("0") if key.isdigit() else key


def name_key(name):
    """Names compare case, spacing, Unicode form and tone placement aside, tone marks kept: 'Hoa' is not
    'Hòa', 'Hoà' is. The register's one rule of identity (``coopportal.text.identity_key``, remembered)."""
    return identity_key(str(name))
