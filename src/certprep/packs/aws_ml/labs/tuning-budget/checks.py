"""Checks of the tuning-budget lab: the learner's run_experiment() runs twice (TPE and random search)
on the lab's data with a budget the checks choose, then once more with the test labels shuffled."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import numpy as np

from certprep.labs.api import CheckFailed, Context, check

BUDGET = 20  # the checks' own budget, not the workspace's default
SEED = 11
BAND = (0.83, 0.90)  # the best validation ROC AUC a sound search reaches on this data


def _reference(ctx: Context) -> ModuleType:
    """The lab's own copy of model.py (the workspace's copy may have been edited)."""

    def load() -> ModuleType:
        path = ctx.lab_folder / "starter" / "model.py"
        spec = importlib.util.spec_from_file_location("_certprep_lab_tuning_model", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclass looks its module up there
        spec.loader.exec_module(module)
        return module

    return ctx.once("reference", load)


def _splits(ctx: Context) -> dict[str, Any]:
    return ctx.once("splits", lambda: ctx.lab("data").frames(ctx.seed))


def _run(ctx: Context, sampler: str, shuffled_test: bool = False) -> Any:
    def run() -> Any:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        splits = _splits(ctx)
        test = splits["test"].copy()
        if shuffled_test:
            test["churned"] = np.random.default_rng(ctx.seed).permutation(test["churned"].to_numpy())
        result = ctx.learner("tune").run_experiment(
            splits["train"].copy(), splits["valid"].copy(), test, sampler, BUDGET, SEED
        )
        if not isinstance(getattr(result, "study", None), optuna.Study):
            raise CheckFailed("run_experiment() must return an Experiment holding the Optuna study")
        return result

    return ctx.once(f"run:{sampler}:{shuffled_test}", run)


def _count(study: Any, state: str) -> int:
    import optuna

    return sum(t.state == getattr(optuna.trial.TrialState, state) for t in study.trials)


@check("budget", f"Each search runs exactly its trial budget ({BUDGET} here), pruned trials included")
def budget(ctx: Context) -> str:
    counts = {name: len(_run(ctx, name).study.trials) for name in ("tpe", "random")}
    if any(n > BUDGET for n in counts.values()):
        raise CheckFailed(
            "a fair comparison gives both searches the same budget, and every trial spends it: start-up "
            "(random) trials and pruned trials count like the others",
            detail=", ".join(f"{k}: {v} trials" for k, v in counts.items()) + f" for a budget of {BUDGET}",
        )
    if any(n < BUDGET for n in counts.values()):
        raise CheckFailed(
            "run the budget you are given: a search stopped early is not compared on equal terms",
            detail=", ".join(f"{k}: {v} trials" for k, v in counts.items()),
        )
    return f"{BUDGET} trials in each search"


@check("samplers", "TPE (Bayesian) against random search, seeded, with the same pruner")
def samplers(ctx: Context) -> str:
    import optuna

    tpe, rnd = _run(ctx, "tpe").study, _run(ctx, "random").study
    kinds = (optuna.samplers.TPESampler, optuna.samplers.RandomSampler)
    if not isinstance(tpe.sampler, kinds[0]) or not isinstance(rnd.sampler, kinds[1]):
        raise CheckFailed(
            "Bayesian optimisation models which regions of the search space score well (TPE) and samples there; "
            "random search samples every region alike: one study each",
            detail=f"tpe: {type(tpe.sampler).__name__}, random: {type(rnd.sampler).__name__}",
        )
    if type(tpe.pruner) is not type(rnd.pruner) or isinstance(tpe.pruner, optuna.pruners.NopPruner):
        raise CheckFailed(
            "compare the samplers on equal terms: give both studies the same early-stopping pruner",
            detail=f"tpe: {type(tpe.pruner).__name__}, random: {type(rnd.pruner).__name__}",
        )
    return f"TPESampler and RandomSampler, both with {type(tpe.pruner).__name__}"


@check("pruning", "Trials report each epoch's validation score and unpromising ones are pruned")
def pruning(ctx: Context) -> str:
    epochs = int(_reference(ctx).EPOCHS)
    details = []
    for name in ("tpe", "random"):
        study = _run(ctx, name).study
        pruned = _count(study, "PRUNED")
        complete = [t for t in study.trials if t.state.name == "COMPLETE"]
        unreported = [t.number for t in complete if len(t.intermediate_values) != epochs]
        if unreported or not pruned:
            raise CheckFailed(
                "early stopping needs a learning curve: report the validation score after every epoch "
                "(trial.report) and ask the pruner whether to stop (trial.should_prune), raising TrialPruned",
                detail=f"{name}: {pruned} pruned trial(s); "
                f"{len(unreported)} complete trial(s) without a score per epoch",
            )
        details.append(f"{name}: {pruned} of {len(study.trials)} pruned")
    return "; ".join(details)


@check("validation-band", f"The best validation ROC AUC is a real validation score, from {BAND[0]} to {BAND[1]}")
def validation_band(ctx: Context) -> str:
    reference, splits = _reference(ctx), _splits(ctx)
    shown = []
    for name in ("tpe", "random"):
        study = _run(ctx, name).study
        best = float(study.best_value)
        again = reference.final_score(study.best_trial.params, splits["train"], splits["valid"])
        if abs(best - again) > 1e-6:
            raise CheckFailed(
                "the objective returns the validation score of the trial's model once it is fully trained: "
                "the score the selection is made on",
                detail=f"{name}: best value {best:.4f}, the best parameters score {again:.4f} on the validation set",
            )
        if not BAND[0] <= best <= BAND[1]:
            raise CheckFailed(
                "the search space decides what tuning can find: span each hyperparameter over its useful "
                "range, on a log scale for penalties and step sizes",
                detail=f"{name}: best validation ROC AUC {best:.4f}",
            )
        shown.append(f"{name} {best:.4f}")
    return "best validation ROC AUC: " + ", ".join(shown)


@check("holdout", "The test set plays no part in the selection and scores the selected model once")
def holdout(ctx: Context) -> str:
    first, shuffled = _run(ctx, "tpe"), _run(ctx, "tpe", shuffled_test=True)

    def path(result: Any) -> list[tuple[Any, ...]]:
        return [(sorted(t.params.items()), t.value, t.state.name) for t in result.study.trials]

    if path(first) != path(shuffled):
        raise CheckFailed(
            "hold-out leakage: a model selected on the test set is scored on data it was chosen for, so its "
            "test score is optimistic; select on the validation set and keep the test set for one final score",
            detail="shuffling the test labels changed the trials of the search",
        )
    reference, splits = _reference(ctx), _splits(ctx)
    expected = reference.final_score(first.study.best_trial.params, splits["train"], splits["test"])
    if abs(float(first.test_auc) - expected) > 1e-6:
        raise CheckFailed(
            "the test score is the selected model's (the best trial's parameters), trained on the training set",
            detail=f"test_auc {float(first.test_auc):.4f}, the selected model scores {expected:.4f}",
        )
    return f"the same search with shuffled test labels; test ROC AUC of the selected model {expected:.4f}"
