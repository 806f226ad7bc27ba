"""Research code: synthetic question banks, the learner simulation and the calibration study.

The tests and the benchmarks use it; the wheel does not ship it (docs/architecture.md, "Layers").
It imports certprep's pure cores and nothing of its I/O.
"""
