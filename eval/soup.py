#!/usr/bin/env python3
"""Average several fine-tuned readers into one (a "model soup"): an experiment, not the shipped reader.

Fine-tuning runs of one recipe that differ only in ``--seed`` land ±.05 answer F1 apart
on the same held-out questions; averaging their weights (Wortsman et al., 2022) would
remove that spread at the cost of one reader. Measured (eval/NOTES.md): two seeds on
the fit half scored .436 and .476, their average .427. Each run starts from its own random
answer head, so the runs do not average; runs sharing one head initialisation might.
Kept to reproduce that figure and to try it. Usage:

    .venv/bin/python eval/soup.py /tmp/reader-s0.safetensors /tmp/reader-s1.safetensors \\
        /tmp/reader-s2.safetensors --out /tmp/reader-soup.safetensors
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa.reader import dequantize, quantize  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("readers", nargs="+", help="weights written by eval/train_reader.py")
    p.add_argument("--out", required=True, help="where to write the average (.safetensors)")
    args = p.parse_args()

    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    runs = [dequantize(load_file(r)) for r in args.readers]
    names = set(runs[0])
    if any(set(r) != names for r in runs):
        sys.exit("soup: the readers do not have the same tensors (different --freeze?)")
    mean = {n: sum(r[n] for r in runs) / len(runs) for n in names}
    with safe_open(args.readers[0], "pt") as first:
        metadata = dict(first.metadata() or {})
    metadata["soup"] = str(len(runs))
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    save_file(quantize(mean), str(tmp), metadata=metadata)
    tmp.replace(out)
    print(f"wrote {out}: the average of {len(runs)} readers", file=sys.stderr)


if __name__ == "__main__":
    main()
