"""Runs inside the Rasa environment (.venv-rasa): trains the project's intent classifier on a
tiny data set through Rasa's own tokenizer and featurizers, persists it, loads it back, and
prints what it predicts as JSON. Driven by test_intent_classifier.py (the app environment has
no Rasa)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_project.components.tfidf_intent_classifier import TfidfLogisticRegressionClassifier

EXAMPLES = {
    "greet": ["hoi", "hallo", "goedemorgen", "hey daar", "hallo allemaal", "goeiemiddag"],
    "offer_help": [
        "ik wil vrijwilliger worden",
        "ik wil graag helpen als vrijwilliger",
        "kan ik vrijwilligerswerk doen",
        "ik wil mensen helpen",
        "vrijwilliger worden in mijn buurt",
        "ik heb tijd om te helpen",
    ],
    "share_situation": [
        "ik voel me zo alleen",
        "sinds mijn vrouw dood is ben ik eenzaam",
        "ik heb schulden en slaap slecht",
        "het gaat niet goed met me",
        "ik zorg voor mijn moeder en ben moe",
        "ik mis mijn familie",
    ],
}
PROBES = ["hallo daar", "ik wil helpen als vrijwilliger", "ik ben zo alleen sinds mijn man dood is"]


Featurizers = list[CountVectorsFeaturizer]
CHAR_NGRAMS = {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}


def pipeline(storage: LocalModelStorage) -> tuple[WhitespaceTokenizer, Featurizers]:
    """The featurizing part of rasa_project/config.yml: word counts and char_wb 2-5 counts."""
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizers = []
    for name, extra in (("words", {}), ("chars", CHAR_NGRAMS)):
        config = {**CountVectorsFeaturizer.get_default_config(), **extra}
        context = ExecutionContext(GraphSchema({}), node_name=name)
        featurizers.append(CountVectorsFeaturizer.create(config, storage, Resource(name), context))
    return tokenizer, featurizers


def featurize(
    messages: list[Message], tokenizer: WhitespaceTokenizer, featurizers: Featurizers
) -> None:
    """Tokenize and featurize messages the way the trained pipeline does at parse time."""
    tokenizer.process(messages)
    for featurizer in featurizers:
        featurizer.process(messages)


def main(work: Path) -> None:
    """Train, reload and tamper in ``work``; print one JSON line with the outcomes."""
    storage = LocalModelStorage(work)
    tokenizer, featurizers = pipeline(storage)
    training = TrainingData(
        [Message.build(text=t, intent=i) for i, texts in EXAMPLES.items() for t in texts]
    )
    tokenizer.process_training_data(training)
    for featurizer in featurizers:
        featurizer.train(training)
        featurizer.process_training_data(training)

    resource = Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), node_name="intent_classifier")
    config = {"C": 10.0}
    trained = TfidfLogisticRegressionClassifier.create(config, storage, resource, context)
    trained.train(training)

    def predict(component: TfidfLogisticRegressionClassifier) -> list[dict]:
        """The intent and ranking the component gives each probe text."""
        messages = [Message.build(text=t) for t in PROBES]
        featurize(messages, tokenizer, featurizers)
        component.process(messages)
        return [
            {"intent": m.get("intent")["name"], "ranking": m.get("intent_ranking")}
            for m in messages
        ]

    loaded = TfidfLogisticRegressionClassifier.load(config, storage, resource, context)
    result = {"trained": predict(trained), "loaded": predict(loaded)}

    # A model file with a type the component does not expect must be refused, not loaded.
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier

    with storage.write_to(resource) as model_dir:
        sio.dump(RandomForestClassifier(), model_dir / f"{resource.name}.skops")
    try:
        TfidfLogisticRegressionClassifier.load(config, storage, resource, context)
        result["tampered"] = "loaded"
    except TypeError as error:
        result["tampered"] = f"refused: {error}"
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
