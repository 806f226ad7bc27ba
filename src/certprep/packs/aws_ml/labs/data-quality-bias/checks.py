"""Checks of the data-quality-bias lab: validate() on the workspace's data and on a hidden batch, the
bias metrics against their definitions."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd

from certprep.labs.api import CheckFailed, Context, check

RULE_HINTS = {
    "completeness": "completeness: a row with a required value missing cannot be trusted by the model",
    "range": "validity: a value outside its allowed range (an age, an amount) is an entry or a unit error",
    "uniqueness": "uniqueness: a re-sent record counts one application twice; keep its first copy only",
    "referential": "referential integrity: a key that points at no row of the table it refers to is an orphan",
}


def _as_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """What the learner sees: the frame as it reads back from a CSV file."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    buffer.seek(0)
    return pd.read_csv(buffer)


def _batches(ctx: Context) -> list[dict[str, Any]]:
    """The workspace's batch and a hidden one, each with the rule every row breaks ("" for none)."""

    def make() -> list[dict[str, Any]]:
        data = ctx.lab("data")
        out = []
        for name, seed, n in (("workspace", ctx.seed, 1500), ("hidden", ctx.seed + 1, 1200)):
            apps, customers, broken = data.applications(seed, n)
            out.append({"name": name, "apps": _as_csv(apps), "customers": _as_csv(customers), "broken": broken})
        return out

    return ctx.once("batches", make)


def _validated(ctx: Context) -> list[tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]]:
    def run() -> list[tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]]:
        quality = ctx.learner("quality")
        out = []
        for batch in _batches(ctx):
            result = quality.validate(batch["apps"].copy(), batch["customers"].copy())
            frames = isinstance(result, tuple) and len(result) == 2
            if not (frames and all(isinstance(f, pd.DataFrame) for f in result)):
                raise CheckFailed("validate() must return two DataFrames: (kept, quarantined)")
            out.append((batch, result[0], result[1]))
        return out

    return ctx.once("validated", run)


def _ids(frame: pd.DataFrame) -> Counter[str]:
    if "application_id" not in frame.columns:
        raise CheckFailed("keep the input's columns, application_id included, in both frames")
    return Counter(str(x) for x in frame["application_id"])


@check("every-row-accounted", "Every row is either kept or quarantined: none lost, none twice")
def every_row_accounted(ctx: Context) -> str:
    for batch, kept, quarantined in _validated(ctx):
        given, seen = _ids(batch["apps"]), _ids(kept) + _ids(quarantined)
        lost, extra = sum((given - seen).values()), sum((seen - given).values())
        if lost or extra:
            raise CheckFailed(
                "quarantine bad rows, never drop them silently: every input row must land in exactly one "
                "place, so that bad data can be counted, reported to its source and fixed",
                detail=f"{batch['name']} batch: {len(batch['apps'])} rows in, {lost} missing from both frames, "
                f"{extra} extra",
            )
        if "reason" not in quarantined.columns or quarantined["reason"].isna().any():
            raise CheckFailed("a quarantined row says which rule it broke, in a `reason` column")
    return "every row of both batches is kept or quarantined"


@check("rows-kept", "The kept rows are exactly the rows that pass the four rules")
def rows_kept(ctx: Context) -> str:
    for batch, kept, _ in _validated(ctx):
        apps, broken = batch["apps"], batch["broken"]
        kept_ids = _ids(kept)
        expected = Counter(str(a) for a, b in zip(apps["application_id"], broken, strict=True) if not b)
        bad_kept: Counter[str] = Counter()
        remaining = kept_ids.copy()
        for app_id, rule in zip(apps["application_id"], broken, strict=True):
            if not rule:
                continue
            key = str(app_id)
            # a copy is kept wrongly only if the id is kept more often than its good rows allow
            if remaining[key] > expected[key]:
                remaining[key] -= 1
                bad_kept[rule] += 1
        good_dropped = sum((expected - kept_ids).values())
        if bad_kept:
            rule = bad_kept.most_common(1)[0][0]
            detail = f"{batch['name']} batch: " + ", ".join(f"{n} row(s) breaking {r}" for r, n in bad_kept.items())
            raise CheckFailed(RULE_HINTS[rule], detail=detail + " kept")
        if good_dropped:
            raise CheckFailed(
                "a rule too strict quarantines good rows: check each rule's bounds against the README "
                "(inclusive ranges, the first copy of a record is good)",
                detail=f"{batch['name']} batch: {good_dropped} good row(s) quarantined",
            )
    batch, kept, quarantined = _validated(ctx)[0]
    return f"workspace batch: {len(kept)} kept, {len(quarantined)} quarantined"


@check("reasons", "Each quarantined row names the first rule it breaks")
def reasons(ctx: Context) -> str:
    for batch, _, quarantined in _validated(ctx):
        if "reason" not in quarantined.columns:
            raise CheckFailed("a quarantined row says which rule it broke, in a `reason` column")
        apps = batch["apps"]
        rules_of: dict[str, list[str]] = {}
        for app_id, rule in zip(apps["application_id"], batch["broken"], strict=True):
            if rule:
                rules_of.setdefault(str(app_id), []).append(rule)
        wrong = 0
        for app_id, reason in zip(quarantined["application_id"], quarantined["reason"], strict=True):
            if str(reason) not in rules_of.get(str(app_id), [str(reason)]):
                wrong += 1
        if wrong:
            raise CheckFailed(
                "name the rule a row breaks (completeness, range, uniqueness, referential): a reason is "
                "what lets the data's owner fix the source",
                detail=f"{batch['name']} batch: {wrong} quarantined row(s) with another rule's name",
            )
    return "every reason names the rule broken"


def _clean_frames(ctx: Context) -> list[pd.DataFrame]:
    frames = []
    for batch in _batches(ctx):
        good = [not b for b in batch["broken"]]
        frames.append(batch["apps"][good].reset_index(drop=True))
    return frames


CASES = (("gender", "female"), ("gender", "male"), ("region", "west"), ("region", "north"))


def _agrees(
    ctx: Context,
    name: str,
    theirs: Callable[..., Any],
    ours: Callable[[pd.Series, pd.Series, pd.Series], float],
    hint: str,
) -> str:
    """Compare the learner's metric with the checks' own, on every facet of both batches' good rows."""
    shown = ""
    for df in _clean_frames(ctx):
        positive = df["approved"] == 1
        for facet, value in CASES:
            d = df[facet] == value
            expected = ours(~d, d, positive)
            got = float(theirs(df.copy(), facet, value))
            if abs(got - expected) > 1e-9:
                raise CheckFailed(hint, detail=f"{facet}={value}: got {got:+.4f}")
            shown = shown or f"{facet}={value}: {name} {expected:+.3f}"
    return shown


@check("class-imbalance", "class_imbalance() agrees with CI's definition")
def class_imbalance(ctx: Context) -> str:
    return _agrees(
        ctx,
        "CI",
        ctx.learner("quality").class_imbalance,
        lambda a, d, _: (int(a.sum()) - int(d.sum())) / len(a),
        "class imbalance compares the sizes of the two facets: (n_a - n_d) / (n_a + n_d), where facet d is the "
        "group you examine; it lies in -1..1 and is positive when facet d is the smaller",
    )


@check("dpl", "dpl() agrees with DPL's definition")
def dpl(ctx: Context) -> str:
    return _agrees(
        ctx,
        "DPL",
        lambda df, facet, value: ctx.learner("quality").dpl(df, facet, value, "approved", 1),
        lambda a, d, positive: float(positive[a].mean()) - float(positive[d].mean()),
        "DPL is q_a - q_d: the share of positive labels in facet a (the other rows) minus that in facet d (the "
        "group you examine); a positive DPL means facet d receives the positive outcome less often",
    )
