"""The encoder: which models skip sentence-transformers, and that skipping it changes no vector."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.embed import DEFAULT_MODEL, MeanPooled, SentenceTransformerEncoder, plain_max_length, resolve_model

BUNDLED = Path(resolve_model(DEFAULT_MODEL))
CONFIGS = ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json")


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    """A copy of the bundled model's settings files only (no weights): enough to classify it."""
    for name in CONFIGS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BUNDLED / name, tmp_path / name)
    return tmp_path


def edit(root: Path, name: str, **changes) -> None:
    data = json.loads((root / name).read_text())
    data.update(changes)
    (root / name).write_text(json.dumps(data))


def test_the_bundled_model_is_plain_mean_pooling(settings):
    assert plain_max_length(str(settings)) == 256


@pytest.mark.parametrize(
    "name, changes",
    [
        ("1_Pooling/config.json", {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}),
        ("1_Pooling/config.json", {"pooling_mode_max_tokens": True}),
        ("1_Pooling/config.json", {"pooling_mode": "lasttoken"}),
        ("sentence_bert_config.json", {"max_seq_length": 0}),
        ("sentence_bert_config.json", {"do_lower_case": True}),
        ("sentence_bert_config.json", {"model_args": {"trust_remote_code": True}}),
        ("config_sentence_transformers.json", {"prompts": {"query": "query: "}, "default_prompt_name": "query"}),
    ],
)
def test_any_other_setting_takes_sentence_transformers(settings, name, changes):
    edit(settings, name, **changes)
    assert plain_max_length(str(settings)) is None


def test_other_modules_or_a_hub_name_take_sentence_transformers(settings):
    modules = json.loads((settings / "modules.json").read_text())
    (settings / "modules.json").write_text(json.dumps(modules[:2]))  # no Normalize
    assert plain_max_length(str(settings)) is None
    (settings / "modules.json").write_text(json.dumps(modules + [{"idx": 3, "name": "3", "path": "3_Dense",
                                                                  "type": "sentence_transformers.models.Dense"}]))
    assert plain_max_length(str(settings)) is None
    assert plain_max_length("sentence-transformers/all-MiniLM-L6-v2") is None
    (settings / "modules.json").write_text("[1, 2, 3]")  # odd but not our business: the full library decides
    assert plain_max_length(str(settings)) is None


TEXTS = [
    "How many trafficking cases were reported between 2011 and 2012?",
    "",
    "  leading and trailing space  ",
    "Café – “quoted” text\twith a tab",
    "word " * 600,  # past the 256 word-piece limit: truncated the same way
    "Quito",
]


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_mean_pooled_gives_sentence_transformers_vectors_bit_for_bit(dtype):
    """An index built through sentence-transformers stays valid, and answers stay the same."""
    ours = SentenceTransformerEncoder(dtype=dtype)
    assert isinstance(ours.model, MeanPooled)
    import torch
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformerEncoder(dtype=dtype)
    reference._model, reference.dtype = SentenceTransformer(str(BUNDLED), device="cpu"), dtype
    if dtype == "bfloat16":
        reference._model.to(torch.bfloat16)
    assert ours.dim == reference.dim == 384
    a, b = ours.encode(TEXTS), reference.encode(TEXTS)
    assert a.shape == (len(TEXTS), 384) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
