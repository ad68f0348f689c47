"""POST /v1/scores answers with the served model's own numbers: the score RiskModel.predict gives
for the features the decision recorded, and reasons that are the booster's top contributions."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_support import stripe_account

from service.usecases.score_account import TOP_REASONS


@pytest.mark.parametrize("overrides", [{}, {"country": "GB", "business_type": "individual"}])
def test_the_response_is_the_models_score_and_contributions(
    client, headers, champion_model, overrides
):
    response = client.post(
        "/v1/scores", json={"account": stripe_account(**overrides)}, headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    decision = client.get(f"/v1/decisions/{body['decision_id']}", headers=headers).json()
    features = decision["features"]
    names = champion_model.feature_names
    matrix = np.array(
        [[np.nan if features[name] is None else features[name] for name in names]],
        dtype=np.float32,
    )
    assert body["score"] == float(champion_model.predict(matrix)[0])

    contributions = champion_model.contributions(matrix)[0]
    order = np.argsort(-contributions, kind="stable")[:TOP_REASONS]
    expected = [names[j] for j in order if contributions[j] > 0]
    assert [reason["feature"] for reason in body["reasons"]] == expected
    for reason in body["reasons"]:
        j = names.index(reason["feature"])
        assert reason["contribution"] == pytest.approx(float(contributions[j]), abs=1e-6)
        value = features[reason["feature"]]
        assert reason["value"] == (None if value is None else pytest.approx(value, rel=1e-6))
