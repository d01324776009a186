"""Every parameter key a profile may set: its kind, unit and Chinese title.

A profile that sets a key not listed here, with another unit, or with a value of the wrong kind is
refused when it loads. ``national_only`` keys are set by national law (taxes, national targets);
local profiles may only restate them under ``restates``. ``required`` keys must be set by the
national profile without gaps, so every locality inherits a value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tuoyu.engines.policy.vocabulary import (
    CERTIFICATES,
    CLASS_TYPES,
    DIAGNOSES,
    EDUCATION,
    GROWTH_REFERENCES,
    LEGAL_FORMS,
    NATURES,
    OPERATORS,
    REGISTRATION_AUTHORITIES,
    ROLES,
    SYMPTOMS,
)


@dataclass(frozen=True)
class Key:
    name: str
    kind: str
    unit: str
    title: str
    national_only: bool = False
    required: bool = False


_VOCABS = {
    "role": ROLES,
    "education": EDUCATION,
    "certificate": CERTIFICATES,
    "operator": OPERATORS,
    "class_type": CLASS_TYPES,
    "symptom": SYMPTOMS,
    "growth_reference": GROWTH_REFERENCES,
}

_K: list[Key] = []


def _key(name: str, kind: str, unit: str, title: str, **flags: bool) -> None:
    _K.append(Key(name, kind, unit, title, **flags))


# --- standards: premises and scale (P01–P05; N03, N07–N09, N11) -----------------------------------
_key("premises.min_lease_years", "count", "years", "租赁场地最短租期", required=True)
_key("premises.indoor_area_per_place_min", "decimal", "m² per place", "每托位室内使用面积下限", required=True)
_key("premises.outdoor_area_per_place_min", "decimal", "m² per place", "每托位室外场地面积下限")
_key(
    "premises.centre_building_area_per_place_min", "decimal", "m² per place", "综合服务中心每托位建筑面积下限"
)
_key(
    "premises.centre_outdoor_area_per_place_min", "decimal", "m² per place", "综合服务中心每托位室外面积下限"
)
_key("premises.max_child_room_floor", "count", "floor", "婴幼儿用房所在最高楼层")
_key("premises.child_rooms_above_ground_required", "flag", "flag", "婴幼儿用房不得设在地下")
_key("premises.window_area_ratio_min", "ratio", "share of room floor area", "婴幼儿用房窗地面积比下限")
_key("scale.max_places", "count", "places", "单个机构托位规模上限", required=True)
_key("enrolment.within_capacity_required", "flag", "flag", "收托人数不超过备案托位数")
# --- classes (P06–P08; N01, N02) ------------------------------------------------------------------
for _type, _zh in CLASS_TYPES.items():
    _key(f"class.age_months.{_type}", "age_range", "months of age", f"{_zh}月龄范围")
    _key(f"class.max_size.{_type}", "count", "children", f"{_zh}每班人数上限", required=_type != "mixed")
    if _type != "mixed":  # N02 sets no ratio for mixed classes
        _key(
            f"class.max_children_per_caregiver.{_type}",
            "count",
            "children per caregiver",
            f"{_zh}保育比（每名保育人员照护婴幼儿数上限）",
            required=True,
        )
# --- staff (P09–P13, P17; N04–N06, N14, N15) -------------------------------------------------------
_key("staff.roles_required", "codes:role", "roles", "应配备的岗位")
_key("staff.manager.min_education", "code:education", "education level", "负责人最低学历")
_key("staff.manager.min_management_years", "decimal", "years", "负责人最少管理经验")
_key("staff.manager.training_required", "flag", "flag", "负责人须岗位培训合格")
_key("staff.manager.min_training_hours", "count", "hours", "负责人岗位培训最少学时")
_key("staff.caregiver.min_education", "code:education", "education level", "保育人员最低学历")
_key("staff.caregiver.relevant_background_required", "flag", "flag", "保育人员须具相关专业背景")
_key("staff.caregiver.certificates_any", "codes:certificate", "certificates", "保育人员应持资格证书（其一）")
_key("staff.health_staff.min_education", "code:education", "education level", "卫生保健人员最低学历")
_key("staff.health_staff.relevant_background_required", "flag", "flag", "卫生保健人员须具相关专业背景")
_key("staff.health_staff.title_required", "flag", "flag", "卫生保健人员须具相应职称")
_key("staff.health_staff.training_required", "flag", "flag", "卫生保健人员须培训合格")
_key("staff.health_staff.full_time_from_children", "count", "children", "须配专职卫生保健人员的收托人数")
_key("staff.health_staff.min_count", "count", "persons", "卫生保健人员最少人数")
_key("staff.security_guard.licence_required", "flag", "flag", "保安员须持保安员证")
_key("staff.security_guard.licensed_company_required", "flag", "flag", "保安员须由持证保安公司派驻")
_key("staff.security_guard.min_on_duty", "count", "persons", "在岗保安员最少人数")
_key("staff.health_exam_interval_months", "count", "months", "工作人员健康检查间隔")
_key("staff.criminal_record_recheck_months", "count", "months", "工作人员违法犯罪记录复查间隔")
_key("staff.criminal_record_clear_required", "flag", "flag", "有性侵、虐待、拐卖、暴力伤害等记录者不得录用")
# --- safety, video, fees, registration, governance (P14–P16, P18–P21; N10, N13, N16, N17) ----------
_key("video.child_area_coverage_required", "flag", "flag", "监控覆盖婴幼儿生活和活动区域")
_key("video.armed_24h_required", "flag", "flag", "监控报警24小时设防")
_key("video.min_retention_days", "count", "days", "监控录像最短保存天数")
_key("video.parent_live_view_required", "flag", "flag", "监控实时推送家长")
_key("video.one_button_alarm_required", "flag", "flag", "配备一键报警")
_key("fees.max_prepaid_months", "count", "months", "预收费最长月数")
_key("registration.business_scope_terms", "texts", "terms", "登记业务范围应注明（其一）")
_key("registration.authority_by_nature", "authority_map", "registration authorities", "按机构性质的登记机关")
_key("governance.parents_committee_required", "flag", "flag", "成立家长委员会")
_key("health.daily_routines_required", "flag", "flag", "晨午检、卫生消毒、病儿隔离制度")
_key("safety.authorised_pickup_required", "flag", "flag", "监护人或其委托的成年人接送")
_key("safety.duties_required", "flag", "flag", "应急预案与演练、消防安全管理、责任保险")
_key("disclosure.required", "flag", "flag", "收费、保育、膳食、卫生安全信息公示")
_key("care.min_outdoor_hours_full_day", "decimal", "hours per day", "全日托每日户外活动时间下限")
# --- infectious-disease outbreaks (P18; NATIONAL.md "Health and infectious disease") ---------------
# The class rule: cases with similar symptoms in one class, on one day or within consecutive days.
_key(
    "outbreak.class_cluster.symptoms", "codes:symptom", "symptoms", "相似症状（逐一症状计数）", required=True
)
_key(
    "outbreak.class_cluster.same_day.cases",
    "positive",
    "children",
    "同一班级同一天相似症状报告例数",
    required=True,
)
_key(
    "outbreak.class_cluster.consecutive_days.cases",
    "positive",
    "children",
    "同一班级连续数日相似症状报告例数",
    required=True,
)
_key(
    "outbreak.class_cluster.consecutive_days.days", "positive", "days", "相似症状连续计算天数", required=True
)
_key("outbreak.report_hours", "count", "clock hours", "聚集性疫情报告疾病预防控制机构时限", required=True)
# Admission health (N12): a child away longer than this is checked again before coming back.
_key(
    "health.admission.recheck_after_absence_months",
    "count",
    "months",
    "离园超过该月数须重新入园健康检查",
    required=True,
)
# The temperature from which a check records fever (axillary, as the checks take it).
_key("health.check.fever_celsius", "decimal", "°C", "晨午检发热判定体温（腋温）", required=True)
# Per diagnosis, an institution threshold and, where the profile sets one, a class threshold: cases
# within a window of days. A locality may set any of them (e.g. a class threshold for norovirus).
for _code, _zh in DIAGNOSES.items():
    for _scope, _where in (("institution", "同一机构"), ("class", "同一班级")):
        _key(
            f"outbreak.disease.{_code}.{_scope}.cases", "positive", "children", f"{_zh}：{_where}暴发判定例数"
        )
        _key(f"outbreak.disease.{_code}.{_scope}.days", "positive", "days", f"{_zh}：{_where}暴发判定天数")
# Growth monitoring: the reference z-scores are read against, the cut-offs that flag a child to the
# health staff, and how often each age is measured.
_key("growth.reference", "code:growth_reference", "references", "生长监测评价标准", required=True)
_key(
    "growth.flag.below_sd",
    "decimal",
    "standard deviations",
    "低体重、生长迟缓、消瘦判定（低于中位数）",
    required=True,
)
_key("growth.flag.overweight_sd", "decimal", "standard deviations", "超重判定（高于中位数）", required=True)
_key(
    "growth.measure_every_months.under_1", "positive", "months", "1岁以内婴儿测量身长体重间隔", required=True
)
_key("growth.measure_every_months.from_1", "positive", "months", "1岁以上幼儿测量身长体重间隔", required=True)
# --- home childcare points (N18) -------------------------------------------------------------------
_key("home_point.max_children", "count", "children", "家庭托育点收托人数上限")
_key("home_point.max_children_per_carer", "count", "children per carer", "家庭托育点每名照护人员照护人数上限")
_key("home_point.min_lease_years", "count", "years", "家庭托育点租赁住宅最短租期")
_key("home_point.video_full_coverage_required", "flag", "flag", "家庭托育点监控全覆盖")
_key("home_point.min_video_retention_days", "count", "days", "家庭托育点录像最短保存天数")
# --- filing and supervision (P23–P28) --------------------------------------------------------------
_key("filing.receipt_working_days", "count", "working days", "备案回执出具时限")
_key("filing.refusal_notice_working_days", "count", "working days", "不符合条件的告知时限")
_key("supervision.random_inspection", "flag", "flag", "双随机一公开检查")
_key("supervision.annual_inspection", "flag", "flag", "年检，不合格停业整顿或注销")
_key("supervision.rectification_escalation", "flag", "flag", "限期整改，仍不合格停业整顿或注销")
_key("supervision.lifetime_ban_for_abuse", "flag", "flag", "虐童者及直接管理人员终身禁入")
_key("supervision.credit_records", "flag", "flag", "机构与从业人员信用档案、联合奖惩")
_key("supervision.third_party_evaluation", "flag", "flag", "委托专业机构评估并公布结果")
# --- money (P46–P56; N30, N33) ---------------------------------------------------------------------
for _type, _zh in CLASS_TYPES.items():
    # A mixed class has its own key: 003 §四(四) pays "托小大班300元", which a profile may state for
    # mixed classes (over 18 months, N01) explicitly rather than code guessing it from the others.
    _key(f"subsidy.operating.monthly.{_type}", "money", "CNY per child per month", f"运营补助（{_zh}）")
_key("subsidy.operating.affordable_only", "flag", "flag", "运营补助仅限普惠托育机构")
_key("subsidy.operating.standards_required", "flag", "flag", "运营补助须达到设置标准")
_key("subsidy.construction.per_place", "money", "CNY per place", "托位建设补助")
_key("subsidy.construction.affordable_only", "flag", "flag", "托位建设补助仅限普惠托育机构")
_key("subsidy.construction.requires_provincial_place_subsidy", "flag", "flag", "须为获得省级托位补助的项目")
_key("subsidy.construction.excludes_central_funding", "flag", "flag", "已享受中央资金补助的不再重复享受")
_key("subsidy.construction_per_class.classes_assumed", "count", "classes", "硬件投入按班测算的班数")
_key(
    "subsidy.construction_per_class.public_operators",
    "codes:operator",
    "operators",
    "按公办标准补助的举办形式",
)
_key("subsidy.construction_per_class.public_share", "ratio", "share of cost", "公办机构补助比例")
_key("subsidy.construction_per_class.public_cap", "money", "CNY per class", "公办机构每班补助上限")
_key("subsidy.construction_per_class.private_share", "ratio", "share of cost", "社会力量举办机构补助比例")
_key("subsidy.construction_per_class.private_cap", "money", "CNY per class", "社会力量举办机构每班补助上限")
_key("subsidy.growth_station.max_each", "money", "CNY per station", "婴幼儿成长驿站补助上限")
_key("subsidy.district_special_fund_yearly", "money", "CNY per year", "区县普惠托育专项补助资金")
_key("subsidy.per_child_kindergarten_rate", "flag", "flag", "备案普惠机构参照幼儿园生均公用经费补助")
_key("subsidy.family_vouchers", "flag", "flag", "家庭托育券")
_key("subsidy.caregiver_post_allowance", "flag", "flag", "保育人员按资格等级的月岗位补贴")
_key("subsidy.childcare_allowance_yearly", "money", "CNY per child per year", "育儿补贴", national_only=True)
_key(
    "tax.child_deduction_monthly",
    "money",
    "CNY per child per month",
    "3岁以下婴幼儿照护个税专项附加扣除",
    national_only=True,
)
_key("tax.community_care_vat_exempt", "flag", "flag", "社区托育服务收入免征增值税")
_key(
    "tax.community_care_income_inclusion", "ratio", "share of income", "社区托育服务收入计入应纳税所得额比例"
)
_key(
    "tax.community_care_property_exempt",
    "flag",
    "flag",
    "社区托育服务房产土地免征契税、房产税、城镇土地使用税",
)
_key("prices.residential_utilities", "flag", "flag", "用水、用电、用气执行居民价格")
_key("rent.state_premises_reduction", "flag", "flag", "租用国有资产场地的普惠机构租金减免")
# --- targets and planning norms (P35–P45; N31, N32) ------------------------------------------------
_key(
    "planning.places_per_1000.new_residential",
    "decimal",
    "places per 1000 residents",
    "新建居住区每千人口托位数下限",
)
_key(
    "planning.places_per_1000.built_up",
    "decimal",
    "places per 1000 residents",
    "老城区和已建成居住区每千人口托位数下限",
)
_key("planning.places_per_1000.built_up_by_year", "year", "year", "老城区和已建成居住区达标年份")
_key("planning.care_circle_minutes", "count", "minutes", "托育服务圈（分钟）")
_key(
    "planning.kindergarten_min_toddler_classes",
    "count",
    "classes per kindergarten",
    "每所新建幼儿园至少规划托班数",
)
_key("target.places_total", "by_year:count", "places", "托位总数目标")
_key("target.places_per_1000", "by_year:decimal", "places per 1000 residents", "每千人口托位数目标")
_key("target.affordable_share", "by_year:ratio", "share of places", "普惠托位占比目标")
_key("target.four_star_institutions", "by_year:count", "institutions", "四星级及以上托育机构数目标")
_key(
    "target.subdistrict_places_per_1000",
    "by_year:decimal",
    "places per 1000 residents",
    "各街镇每千人口托位数目标",
)
_key(
    "target.subdistrict_new_affordable_centres_yearly",
    "count",
    "centres per subdistrict per year",
    "各街镇每年新建或改建社区普惠托育园数",
)
_key(
    "target.kindergartens_with_toddler_care_share",
    "ratio",
    "share of kindergartens",
    "提供普惠托育服务的幼儿园占比",
)
_key("target.affordable_in_every_subdistrict", "flag", "flag", "普惠性托育机构镇街全覆盖")
_key(
    "target.demonstration_institutions_per_county",
    "by_year:range",
    "institutions per county",
    "每县区示范性机构数",
)
_key(
    "target.demonstration_institutions_per_city",
    "by_year:range",
    "institutions per city",
    "每设区市示范性机构数",
)
_key(
    "target.standardised_institutions_per_county",
    "by_year:count",
    "institutions per county",
    "每县至少建成规范化机构数",
)
_key("target.growth_stations", "by_year:count", "stations", "婴幼儿成长驿站数目标")
_key("target.growth_stations_cover_every_subdistrict", "flag", "flag", "成长驿站镇街全覆盖")
_key("target.parenting_group_sessions_yearly", "count", "sessions per year", "养育照护小组活动场次")
_key(
    "stat.places_per_1000_actual",
    "by_year:decimal",
    "places per 1000 residents",
    "全国每千人口托位数（实际）",
    national_only=True,
)
# --- family services and instructors (P57–P62) ----------------------------------------------------
_key(
    "health_instructor.min_visits_per_quarter", "count", "visits per quarter", "健康指导员每季度实地指导次数"
)
_key(
    "health_instructor.min_lectures_per_half_year",
    "count",
    "lectures per half year",
    "每半年健康知识讲座次数",
)
_key("health_instructor.min_reviews_per_year", "count", "reviews per year", "每年梳理卫生保健工作次数")
_key("services.expert_pairing", "flag", "flag", "专家库一对一结对（网格化包保）")
_key("enrolment.toddler_class_lottery", "flag", "flag", "幼儿园托班摇号、抽签招收")
_key("reporting.quarterly_progress", "flag", "flag", "每季度报送进度")
# --- ratings and the demonstration city (P31, P33, P63–P66) ----------------------------------------
_key("rating.star.dimensions", "texts", "dimensions", "星级评定维度")
_key("rating.wst821.dimension_points", "points_map", "points", "WS/T 821 各维度分值", national_only=True)
_key("demo_city.cycle_years", "count", "years", "示范城市评选周期")
_key("demo_city.max_recommended_share", "ratio", "share of eligible cities", "每周期推荐上限占可参评单位比例")
_key("demo_city.first_cycle_max_cities", "count", "cities", "第一周期申报总数上限")
_key("demo_city.self_score_min", "count", "points", "申报自评分下限")
_key("demo_city.clean_record_years", "count", "years", "未发生重大违法案件、事故、信访的年限")
_key("demo_city.no_negative_opinion_years", "count", "years", "未发生重大负面舆情的年限")
_key("demo_city.no_safety_accident_years", "count", "years", "未发生托育安全事故的年限")
_key(
    "demo_city.gate_places_per_1000_2021",
    "decimal",
    "places per 1000 residents",
    "门槛：2021年每千人口托位数",
)
_key(
    "demo_city.gate_places_per_1000_2025_projection",
    "decimal",
    "places per 1000 residents",
    "门槛：2025年预计每千人口托位数",
)
_key("demo_city.public_notice_working_days", "count", "working days", "遴选结果公示期")
_key("demo_city.stage_deadlines", "date_map", "dates", "创建各阶段截止日期")

CATALOGUE: dict[str, Key] = {k.name: k for k in _K}
REQUIRED_KEYS = [k.name for k in _K if k.required]

# Chinese for every unit above, as a suffix after a value ("5 平方米/托位") on pages for people. The
# unit strings themselves stay as they are: profiles state them and validation compares them.
UNIT_LABELS = {
    "CNY per child per month": "元/人/月",
    "CNY per child per year": "元/人/年",
    "CNY per class": "元/班",
    "CNY per place": "元/托位",
    "CNY per station": "元/家",
    "CNY per year": "元/年",
    "centres per subdistrict per year": "家/街镇/年",
    "certificates": "证书",
    "children": "人",
    "children per caregiver": "人/保育人员",
    "children per carer": "人/照护人员",
    "cities": "个城市",
    "classes": "个班",
    "classes per kindergarten": "个班/所幼儿园",
    "clock hours": "小时",
    "°C": "摄氏度",
    "dates": "日期",
    "days": "天",
    "dimensions": "个维度",
    "education level": "学历",
    "flag": "是/否",
    "floor": "层",
    "hours": "学时",  # the only key in hours is the manager's post training, counted in 学时
    "hours per day": "小时/天",
    "institutions": "家",
    "institutions per city": "家/设区市",
    "institutions per county": "家/县（区）",
    "lectures per half year": "次/半年",
    "minutes": "分钟",
    "months": "个月",
    "months of age": "月龄",
    "m² per place": "平方米/托位",
    "operators": "举办形式",
    "persons": "人",
    "places": "个托位",
    "places per 1000 residents": "个托位/千人",
    "points": "分",
    "registration authorities": "登记机关",
    "references": "评价标准",
    "reviews per year": "次/年",
    "roles": "岗位",
    "sessions per year": "场/年",
    "share of cost": "占费用比例",
    "share of eligible cities": "占可参评城市比例",
    "share of income": "占收入比例",
    "share of kindergartens": "占幼儿园比例",
    "share of places": "占托位比例",
    "share of room floor area": "占房间地面面积比例",
    "standard deviations": "个标准差",
    "stations": "家",
    "symptoms": "症状",
    "terms": "用语",
    "visits per quarter": "次/季度",
    "working days": "个工作日",
    "year": "年份",
    "years": "年",
}


def unit_label(unit: str) -> str:
    """The Chinese label of a catalogue unit (``"m² per place"`` → ``"平方米/托位"``); KeyError for others."""
    try:
        return UNIT_LABELS[unit]
    except KeyError:
        raise KeyError(f"no Chinese label for unit {unit!r}; add it to UNIT_LABELS") from None


# --- value validation ---------------------------------------------------------------------------------


class BadValue(ValueError):
    """A value of the wrong kind; ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _decimal(raw: object, places: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise BadValue("应为数字", "must be a number")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise BadValue("应为数字", "must be a number") from None
    if not value.is_finite() or value < 0:
        raise BadValue("应为非负数", "must be a non-negative number")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise BadValue(f"小数位不得超过 {places} 位", f"must have at most {places} decimal places")
    return value


def _count(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise BadValue("应为非负整数", "must be a non-negative integer")
    return raw


def _code(raw: object, vocab: str) -> str:
    codes = _VOCABS[vocab]
    if raw not in codes:
        raise BadValue(f"应为以下代码之一：{'、'.join(codes)}", f"must be one of: {', '.join(codes)}")
    return raw  # type: ignore[return-value]


def _scalar(kind: str, raw: object) -> object:
    if kind == "count":
        return _count(raw)
    if kind == "positive":
        if _count(raw) < 1:
            raise BadValue("应为正整数", "must be a positive integer")
        return raw
    if kind == "decimal":
        return _decimal(raw, 2)
    if kind == "money":
        return _decimal(raw, 2)
    if kind == "ratio":
        value = _decimal(raw, 4)
        if value > 1:
            raise BadValue("比例应在 0 到 1 之间", "a share must lie between 0 and 1")
        return value
    if kind == "flag":
        if not isinstance(raw, bool):
            raise BadValue("应为 true 或 false", "must be true or false")
        return raw
    if kind == "year":
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1900 <= raw <= 2100:
            raise BadValue("应为年份", "must be a year")
        return raw
    if kind == "range":
        if not isinstance(raw, list) or len(raw) != 2:
            raise BadValue("应为 [下限, 上限]", "must be [low, high]")
        low, high = _count(raw[0]), _count(raw[1])
        if low > high:
            raise BadValue("下限大于上限", "low is above high")
        return (low, high)
    raise AssertionError(f"unknown kind {kind}")


def validate_value(key: Key, raw: object) -> object:
    """The value normalised for its key's kind (Decimal for decimals, tuples for lists); or BadValue."""
    kind = key.kind
    if kind.startswith("codes:"):
        if not isinstance(raw, list) or not raw:
            raise BadValue("应为非空列表", "must be a non-empty list")
        return tuple(_code(item, kind[6:]) for item in raw)
    if kind.startswith("code:"):
        return _code(raw, kind[5:])
    if kind == "age_range":
        return _scalar("range", raw)
    if kind == "texts":
        if not isinstance(raw, list) or not raw or not all(isinstance(t, str) and t.strip() for t in raw):
            raise BadValue("应为非空文本列表", "must be a non-empty list of texts")
        return tuple(raw)
    if kind.startswith("by_year:"):
        inner = kind[8:]
        if not isinstance(raw, dict) or not raw:
            raise BadValue("应为 年份: 数值 的映射", "must map years to values")
        out = {}
        for year, item in raw.items():
            _scalar("year", year)
            out[year] = _scalar(inner, item)
        return dict(sorted(out.items()))
    if kind == "authority_map":
        # Keys are natures, or legal forms where the authority depends on the form (003 附件2 #16, #18);
        # a legal form's entry wins over its nature's when the facts give the form.
        if not isinstance(raw, dict) or not raw:
            raise BadValue(
                "应为 机构性质或法人类型: [登记机关] 的映射",
                "must map natures or legal forms to lists of authorities",
            )
        out = {}
        for nature, authorities in raw.items():
            if nature not in NATURES and nature not in LEGAL_FORMS:
                raise BadValue(
                    f"未知的机构性质或法人类型 {nature!r}", f"unknown nature or legal form {nature!r}"
                )
            if not isinstance(authorities, list) or not authorities:
                raise BadValue("登记机关应为非空列表", "authorities must be a non-empty list")
            for authority in authorities:
                if authority not in REGISTRATION_AUTHORITIES:
                    raise BadValue(f"未知的登记机关 {authority!r}", f"unknown authority {authority!r}")
            out[nature] = tuple(authorities)
        return out
    if kind == "points_map":
        if not isinstance(raw, dict) or not raw:
            raise BadValue("应为 名称: 分值 的映射", "must map names to points")
        return {str(name): _count(points) for name, points in raw.items()}
    if kind == "date_map":
        if not isinstance(raw, dict) or not raw:
            raise BadValue("应为 名称: 日期 的映射", "must map names to dates")
        out = {}
        for name, day in raw.items():
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise BadValue(f"{name} 应为日期", f"{name} must be a date")
            out[str(name)] = day
        return out
    return _scalar(kind, raw)
