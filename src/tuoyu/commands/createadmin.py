from __future__ import annotations

import getpass
import os

from tuoyu.commands._common import ArgumentParser, BadInput, guarded
from tuoyu.commands._django import setup


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(prog=prog, description="创建平台管理员账号 / create a platform administrator")
    parser.add_argument("--username", required=True, help="账号")
    parser.add_argument("--region", required=True, help="管辖区划代码（如 510000）")
    parser.add_argument("--region-name", help="该区划尚未录入时，用此名称创建（如 四川省）")
    parser.add_argument("--name", default="", help="姓名")
    args = parser.parse_args(argv)
    setup()
    return guarded(lambda: _create(args))


def _create(args) -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from tuoyu.engines.identifiers import InvalidIdentifier, validate_division_code
    from tuoyu.kernel.accounts.models import Department, Role, User
    from tuoyu.kernel.regions.models import Region

    try:
        code = validate_division_code(args.region)
    except InvalidIdentifier as error:
        raise BadInput(str(error), f"invalid division code {args.region!r}") from None
    if User.objects.filter(username=args.username).exists():
        raise BadInput(f"账号 {args.username} 已存在", f"user {args.username!r} exists")
    password = os.environ.get("TUOYU_ADMIN_PASSWORD") or getpass.getpass("密码 / password: ")
    try:
        validate_password(password)
    except ValidationError as error:
        raise BadInput("；".join(error.messages), "password rejected by the password rules") from None
    with transaction.atomic():
        region = Region.objects.filter(code=code).first()
        if region is None:
            if not args.region_name:
                raise BadInput(
                    f"区划 {code} 尚未录入，请用 --region-name 提供名称",
                    f"region {code} unknown; pass --region-name",
                )
            region = Region(code=code, name=args.region_name)
            region.save()
        user = User(
            username=args.username,
            display_name=args.name,
            role=Role.ADMIN,
            region=region,
            department=Department.HEALTH,
        )
        user.set_password(password)
        user.save()
    print(f"已创建平台管理员 {user.username}（辖区：{region.name}）。")
    return 0
