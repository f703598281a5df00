"""The discussion themes of the Union's workshops: the six the article lists, and "other".

Loaded once by a data migration; afterwards administrators keep the list in the admin, so loading
again only adds a missing theme and never overwrites an administrator's wording.
"""

THEMES = [
    ("financial_support", "Chính sách hỗ trợ tài chính", "Financial support policies"),
    ("expertise", "Chuyên môn, nghiệp vụ và phát triển nghề nghiệp", "Expertise and professional development"),
    (
        "mobilising_women",
        "Vận động hội viên, phụ nữ tham gia kinh tế tập thể",
        "Mobilising women into the collective economy",
    ),
    (
        "management_skills",
        "Kỹ năng quản lý để duy trì, phát triển hợp tác xã, tổ hợp tác",
        "Management skills to keep and grow cooperatives",
    ),
    ("difficulties", "Khó khăn, vướng mắc trong hoạt động", "Difficulties and obstacles in operation"),
    ("market_access", "Tìm kiếm thị trường tiêu thụ sản phẩm", "Market access for products"),
    ("other", "Khác", "Other"),
]


def load_themes(theme_model):
    for position, (code, name_vi, name_en) in enumerate(THEMES):
        theme_model.objects.get_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "position": position}
        )
