from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_canonical_codes_and_no_negative_quantities"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('monthly_fee__isnull', True), ('monthly_fee__gte', 0), _connector='OR'), name='institution_monthly_fee_not_negative', violation_error_message='月收费不能为负数。'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('indoor_area_m2__isnull', True), ('indoor_area_m2__gte', 0), _connector='OR'), name='institution_indoor_area_m2_not_negative', violation_error_message='室内使用面积不能为负数。'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('outdoor_area_m2__isnull', True), ('outdoor_area_m2__gte', 0), _connector='OR'), name='institution_outdoor_area_m2_not_negative', violation_error_message='室外场地面积不能为负数。'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('building_area_m2__isnull', True), ('building_area_m2__gte', 0), _connector='OR'), name='institution_building_area_m2_not_negative', violation_error_message='建筑面积不能为负数。'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('window_area_ratio__isnull', True), models.Q(('window_area_ratio__gte', 0), ('window_area_ratio__lte', 1)), _connector='OR'), name='institution_window_area_ratio_is_a_share', violation_error_message='窗地面积比应在 0 到 1 之间（如 0.25）。'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('floor_of_child_rooms__isnull', True), models.Q(('floor_of_child_rooms__gte', 1), ('floor_of_child_rooms__lte', 100)), _connector='OR'), name='institution_floor_from_one', violation_error_message='婴幼儿用房所在最高楼层应从1层起算（地下用房请在“有婴幼儿用房设在地下”中填写）。'),
        ),
    ]
