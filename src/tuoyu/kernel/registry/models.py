"""The institution registry: every provider of care for children under three, filed or not."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tuoyu.engines.policy import vocabulary
from tuoyu.kernel.accounts.access import Scope
from tuoyu.kernel.accounts.fields import CreditCodeField, MobileField
from tuoyu.kernel.accounts.models import Department, Role
from tuoyu.kernel.choices import text_choices
from tuoyu.kernel.registry.rules import registration_authority
from tuoyu.text import plain_text

Nature = text_choices("Nature", vocabulary.NATURES, module=__name__)
# Legal form decides the registration authority (P21; 备案办法).
LegalForm = text_choices("LegalForm", vocabulary.LEGAL_FORMS, module=__name__)
Operator = text_choices("Operator", vocabulary.OPERATORS, module=__name__)
ProvisionModel = text_choices("ProvisionModel", vocabulary.PROVISION_MODELS, module=__name__)
ServiceType = text_choices("ServiceType", vocabulary.SERVICE_TYPES, module=__name__)
Tenure = text_choices("Tenure", vocabulary.TENURES, module=__name__)
Status = text_choices("Status", vocabulary.INSTITUTION_STATUSES, module=__name__)
RegistrationAuthority = text_choices(
    "RegistrationAuthority", vocabulary.REGISTRATION_AUTHORITIES, module=__name__
)


class Institution(models.Model):
    name = models.CharField("机构名称", max_length=100, validators=[plain_text])
    credit_code = CreditCodeField("统一社会信用代码", unique=True)
    legal_form = models.CharField("法人类型", max_length=30, choices=LegalForm.choices)
    # The office that actually registered it, as the licence or certificate names it (P21). The credit
    # code's first character names only the registration regime: a 行政审批局 (003 附件2 #18) issues
    # codes of the 民政 and 市场监管 regimes. Blank = not recorded (the facts then read the code).
    registered_with = models.CharField(
        "登记机关",
        max_length=30,
        choices=RegistrationAuthority.choices,
        blank=True,
        help_text="营业执照或登记证书上的登记机关；未填时按统一社会信用代码第1位推断",
    )
    nature = models.CharField("性质", max_length=20, choices=Nature.choices)
    operator = models.CharField("举办形式", max_length=30, choices=Operator.choices)
    provision_model = models.CharField("办托模式", max_length=30, choices=ProvisionModel.choices)
    affordable = models.BooleanField("普惠性", default=False)
    service_centre = models.BooleanField("区级托育综合服务中心", default=False)
    service_types = models.JSONField("服务类型", default=list, blank=True)
    subdistrict = models.ForeignKey(
        "regions.Region", verbose_name="所在街道（镇）", on_delete=models.PROTECT, related_name="institutions"
    )
    address = models.CharField("地址", max_length=200, validators=[plain_text])
    # WGS84 / CGCS2000 degrees; conversions from GCJ-02 happen before saving.
    lon = models.FloatField(
        "经度", null=True, blank=True, validators=[MinValueValidator(73.0), MaxValueValidator(135.5)]
    )
    lat = models.FloatField(
        "纬度", null=True, blank=True, validators=[MinValueValidator(3.5), MaxValueValidator(54.0)]
    )
    places = models.PositiveIntegerField("托位数")
    min_age_months = models.PositiveSmallIntegerField("最小收托月龄", default=6)
    max_age_months = models.PositiveSmallIntegerField("最大收托月龄", default=36)
    monthly_fee = models.DecimalField(
        "月收费（元）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    contact_name = models.CharField("联系人", max_length=40, blank=True, validators=[plain_text])
    contact_phone = MobileField("联系电话", blank=True)
    business_scope = models.CharField("经营（业务）范围", max_length=300, blank=True, validators=[plain_text])

    # Premises and safety facts checked by the standards (P01–P04, P14, P15, P20; N09).
    tenure = models.CharField("场地性质", max_length=10, choices=Tenure.choices, blank=True)
    lease_start = models.DateField("租期开始", null=True, blank=True)
    lease_end = models.DateField("租期结束", null=True, blank=True)
    indoor_area_m2 = models.DecimalField(
        "室内使用面积（㎡）",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    outdoor_area_m2 = models.DecimalField(
        "室外场地面积（㎡）",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    building_area_m2 = models.DecimalField(
        "建筑面积（㎡）",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    floor_of_child_rooms = models.SmallIntegerField(
        "婴幼儿用房所在最高楼层",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    child_rooms_below_ground = models.BooleanField("有婴幼儿用房设在地下", null=True, blank=True)
    window_area_ratio = models.DecimalField(
        "婴幼儿用房最小窗地面积比",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="窗洞面积÷房间地面面积，如 0.25",
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    outdoor_minutes_per_day = models.PositiveSmallIntegerField(
        "全日托每日户外活动时间（分钟）", null=True, blank=True
    )
    video_covers_child_areas = models.BooleanField("监控覆盖婴幼儿活动区域", null=True, blank=True)
    video_armed_24h = models.BooleanField("监控24小时设防", null=True, blank=True)
    video_retention_days = models.PositiveSmallIntegerField("录像保存天数", null=True, blank=True)
    video_parent_live_view = models.BooleanField("向家长实时推送", null=True, blank=True)
    video_one_button_alarm = models.BooleanField("配备一键报警", null=True, blank=True)
    prepaid_fee_months = models.PositiveSmallIntegerField("预收费月数", null=True, blank=True)
    parents_committee = models.BooleanField("成立家长委员会", null=True, blank=True)
    provides_meals = models.BooleanField("提供餐食", default=False)
    # Routines the institution declares: registry/declarations.py lists the keys.
    declarations = models.JSONField("制度落实情况（自报）", default=dict, blank=True)

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    filing_number = models.CharField("备案编号", max_length=40, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = Scope(
        region=("subdistrict__path",),
        institution="pk",
        view=frozenset(
            {
                Role.REGULATOR,
                Role.DEPARTMENT,
                Role.MANAGER,
                Role.CAREGIVER,
                Role.INSPECTOR,
                Role.EXPERT,
                Role.ADMIN,
            }
        ),
        change=frozenset({Role.REGULATOR, Role.MANAGER, Role.ADMIN}),
        # What each department's duty needs to see (000 附件; 003 附件2).
        departments={
            Department.HEALTH: Q(),
            Department.PUBLIC_SECURITY: Q(),  # security of every institution (#19)
            Department.FIRE: Q(),  # fire safety of every institution (#24)
            Department.MARKET_REGULATION: Q(nature=Nature.FOR_PROFIT)
            | Q(provides_meals=True),  # registration, food (#16)
            Department.CIVIL_AFFAIRS: Q(legal_form=LegalForm.SOCIAL_SERVICE_ORG)
            | Q(provision_model=ProvisionModel.COMMUNITY),
            Department.EDUCATION: Q(provision_model=ProvisionModel.KINDERGARTEN),  # toddler classes (#6)
            Department.STAFFING: Q(legal_form=LegalForm.PUBLIC_INSTITUTION),  # 事业单位 registration (#1)
        },
        # Filed institutions are published (000 §三(八)1 信息公示; 备案办法).
        public=Q(status__in=[Status.FILED, Status.SUSPENDED]),
    )

    class Meta:
        verbose_name = "托育机构"
        ordering = ["subdistrict__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age_months__gte=models.F("min_age_months")),
                name="institution_age_range",
                violation_error_message="最大收托月龄不能小于最小收托月龄。",
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True, lat__isnull=True) | Q(lon__isnull=False, lat__isnull=False),
                name="institution_coordinates_both_or_neither",
                violation_error_message="经度和纬度须同时填写或同时留空。",
            ),
            models.CheckConstraint(
                condition=Q(lease_end__isnull=True)
                | Q(lease_start__isnull=True)
                | Q(lease_end__gt=models.F("lease_start")),
                name="institution_lease_ends_after_start",
                violation_error_message="租期结束日期必须晚于开始日期。",
            ),
            # Quantities that cannot be negative: a form, an import and the API all end here.
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"institution_{name}_not_negative",
                    violation_error_message=f"{label}不能为负数。",
                )
                for name, label in (
                    ("monthly_fee", "月收费"),
                    ("indoor_area_m2", "室内使用面积"),
                    ("outdoor_area_m2", "室外场地面积"),
                    ("building_area_m2", "建筑面积"),
                )
            ),
            models.CheckConstraint(
                condition=Q(window_area_ratio__isnull=True)
                | Q(window_area_ratio__gte=0, window_area_ratio__lte=1),
                name="institution_window_area_ratio_is_a_share",
                violation_error_message="窗地面积比应在 0 到 1 之间（如 0.25）。",
            ),
            # Rooms below ground are recorded by their own yes/no field; the highest floor counts from 1.
            models.CheckConstraint(
                condition=Q(floor_of_child_rooms__isnull=True)
                | Q(floor_of_child_rooms__gte=1, floor_of_child_rooms__lte=100),
                name="institution_floor_from_one",
                violation_error_message="婴幼儿用房所在最高楼层应从1层起算（地下用房请在“有婴幼儿用房设在地下”中填写）。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def registration_authority_label(self) -> str:
        """The recorded registering office, else the one the legal form implies under 备案办法."""
        return RegistrationAuthority(self.registered_with or registration_authority(self.legal_form)).label

    def service_type_labels(self) -> list[str]:
        return [ServiceType(t).label for t in self.service_types if t in ServiceType.values]


class Membership(models.Model):
    """An account working at an institution (a manager or a caregiver); one institution per account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="memberships")
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "机构账号"
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(active=True), name="membership_one_active_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"
