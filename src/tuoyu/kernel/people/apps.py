from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tuoyu.kernel.people"
    # The people registry began as the "operations" app; its tables and migrations keep that label so
    # that existing databases need no renaming.
    label = "operations"
    verbose_name = "儿童、班级与工作人员"
