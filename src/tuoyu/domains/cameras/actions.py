"""Acts of the cameras domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

# The institution keeps the register of its cameras and confirms each day that they ran (P14, N10);
# its manager answers for the video system as for the rest of the premises.
KEEP_CAMERAS = Act(
    "cameras.keep",
    "登记摄像头与运行状态",
    frozenset({Role.MANAGER}),
    verb=Action.CHANGE,
    basis="管理规范第32条",
)
