"""Eligibility checks: pure, typed Python (no Rasa), driven by the dated parameters in parameters.yml.

Each check takes a typed input (unknown facts are ``None``) and returns a :class:`Verdict` with an outcome,
reasons (rule id, values, source, date), the missing facts, next steps and who decides. The wording of
reasons and steps lives in ``kennisbank/checks.yml``; this package only decides.
"""

from eligibility.checks import (
    CHECKS,
    check_beschut_werk,
    check_doelgroepregister,
    check_jobcoach,
    check_loonkostensubsidie,
    check_no_riskpolis,
)
from eligibility.model import (
    BeschutWerkInput,
    Beslisser,
    DoelgroepregisterInput,
    JobcoachInput,
    LoonkostensubsidieInput,
    NoRiskpolisInput,
    Outcome,
    Reason,
    UwvAdvies,
    Verdict,
)
from eligibility.parameters import Parameters, load_parameters
from eligibility.vocabulary import ADDRESS, Audience, Authority, Source, Uitkering

__all__ = [
    "ADDRESS",
    "CHECKS",
    "Audience",
    "Authority",
    "BeschutWerkInput",
    "Beslisser",
    "DoelgroepregisterInput",
    "JobcoachInput",
    "LoonkostensubsidieInput",
    "NoRiskpolisInput",
    "Outcome",
    "Parameters",
    "Reason",
    "Source",
    "Uitkering",
    "UwvAdvies",
    "Verdict",
    "check_beschut_werk",
    "check_doelgroepregister",
    "check_jobcoach",
    "check_loonkostensubsidie",
    "check_no_riskpolis",
    "load_parameters",
]
