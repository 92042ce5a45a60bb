"""The Side-by-side lessons: the notes' figures as group requests, each with the number of steps
its figure needs, in English and Korean. GET /api/presets serves them; the page reads its
presets from there, and tests run each one and check that its figure really comes out."""

from app.api.responses import Preset, Text
from app.api.schemas import GroupRequest

# The notes' overfitting figures: two sides of a line with a few points of each class alone on
# the other side (the `outliers` data). tanh units draw round islands; the weight seed is one
# where the 3-neuron net keeps to the line (with other seeds it may bend to one outlier).
FIGURE_BASE = {
    "seed": 1,
    "dataset": {"name": "outliers", "n_points": 100, "noise": 0.0, "seed": 0},
    "model": {"hidden": [20], "activation": "tanh"},
    "training": {"optimizer": "adam", "learning_rate": 0.01, "l2": 0.0},
}
FIGURE_STEPS = 3000
NEURONS = {"axis": "hidden_units", "values": [3, 6, 20]}
LAMBDAS = {"axis": "l2", "values": [0.001, 0.01, 0.1]}
DEAD_BASE = {
    "seed": 0,
    "dataset": {"name": "spiral", "n_points": 300, "noise": 0.2, "seed": 0},
    "model": {"hidden": [16, 16], "activation": "relu"},
    "training": {"optimizer": "sgd", "learning_rate": 3.0, "l2": 0.0},
}


def preset(name, title, note, request, **how):
    """how: steps, steps_per_frame, reads."""
    return Preset(name=name, title=Text(**title), note=Text(**note),
                  request=GroupRequest.model_validate(request), **how)  # fmt: skip


FIGURE = {"steps": FIGURE_STEPS, "steps_per_frame": 30, "reads": "regions"}


PRESETS = [
    preset(
        "units",
        {"en": "Notes: 3 / 6 / 20 hidden neurons", "ko": "노트: 은닉 뉴런 3 / 6 / 20"},
        {
            "en": "The notes' first figure: the same data with one hidden layer of 3, 6 and 20 "
            "tanh neurons. The data are two sides of a line, with two points of each class "
            "alone on the other side. Three neurons split the plane in two and treat those "
            "points as outliers; twenty have the capacity to carve an island around each and "
            "fit every training point, which is overfitting: the islands also take in test "
            "points (outlined) that belong to the side around them. Play runs to the figure's "
            "step; under each panel, its regions and accuracies.",
            "ko": "노트의 첫 번째 그림: 같은 데이터에 은닉층 하나, tanh 뉴런 3, 6, 20개. 데이터는 "
            "직선의 양쪽이고, 클래스마다 두 점이 반대쪽에 홀로 있습니다. 뉴런 3개는 공간을 둘로 "
            "나누고 그 점들을 outlier로 처리합니다. 뉴런 20개는 용량이 커서 점마다 섬을 만들어 "
            "모든 학습 점을 맞추는데, 이것이 overfitting입니다: 섬은 주변 쪽에 속한 테스트 "
            "점(테두리만 있는 점)까지 삼킵니다. 재생하면 그림이 나오는 스텝까지 학습하고, 각 "
            "패널 아래에 영역 수와 정확도가 나옵니다.",
        },
        {"base": FIGURE_BASE, "columns": NEURONS},
        **FIGURE,
    ),
    preset(
        "lambda",
        {"en": "Notes: λ 0.001 / 0.01 / 0.1, 20 neurons", "ko": "노트: λ 0.001/0.01/0.1, 뉴런 20"},
        {
            "en": "The notes' second figure: 20 hidden neurons each, with L2 strength λ = 0.001, "
            "0.01 and 0.1 (λ of ½·λ·ΣW² added to the mean data loss). With λ = 0.001 the net "
            "still carves islands around the outlying points; stronger regularization makes "
            "large weights, which sharp islands need, too costly, and the regions smooth into "
            "two. The notes' advice: control overfitting with regularization rather than with "
            "fewer neurons.",
            "ko": "노트의 두 번째 그림: 모두 은닉 뉴런 20개에 L2 강도 λ = 0.001, 0.01, 0.1 "
            "(평균 data loss에 더하는 ½·λ·ΣW²의 λ). λ = 0.001에서는 여전히 outlier 점마다 섬을 "
            "만들지만, 정규화가 강해지면 날카로운 섬에 필요한 큰 가중치의 비용이 커져 영역이 "
            "매끄러운 두 영역이 됩니다. 노트의 조언: overfitting은 뉴런 수를 줄이기보다 "
            "정규화로 제어하세요.",
        },
        {"base": FIGURE_BASE, "columns": LAMBDAS},
        **FIGURE,
    ),
    preset(
        "both",
        {"en": "Notes: neurons × λ (3×3)", "ko": "노트: 뉴런 수 × λ (3×3)"},
        {
            "en": "Both figures at once: rows 3, 6 and 20 hidden neurons, columns λ = 0.001, "
            "0.01 and 0.1. Islands need capacity and weak regularization: only the bottom left "
            "(20 neurons, λ = 0.001) fits every training point, and with λ = 0.1 every row "
            "is two plain regions.",
            "ko": "두 그림을 한 번에: 행은 은닉 뉴런 3, 6, 20개, 열은 λ = 0.001, 0.01, 0.1. 섬에는 "
            "큰 용량과 약한 정규화가 모두 필요합니다: 모든 학습 점을 맞추는 것은 왼쪽 아래(뉴런 "
            "20개, λ = 0.001)뿐이고, λ = 0.1 열은 모든 행이 매끄러운 두 영역입니다.",
        },
        {"base": FIGURE_BASE, "rows": NEURONS, "columns": LAMBDAS},
        **FIGURE,
    ),
    preset(
        "dead",
        {
            "en": "Dead ReLUs: lr 3, ReLU vs Leaky, bias 0 vs 0.01",
            "ko": "죽은 ReLU: 학습률 3, ReLU 대 Leaky, 편향 0 대 0.01",
        },
        {
            "en": "A learning rate far too high (SGD at 3) on the spiral, two hidden layers of "
            "16: one large update can push a ReLU below zero for every point, and from then on "
            "it gets no gradient and never learns again (the notes: as much as 40 % of a "
            "network can die). Rows: initial bias 0 and 0.01 (the notes' fix for units dead "
            "from the start); columns: ReLU and Leaky ReLU, which cannot die. Each panel's "
            "readout and the chart below show the dead share of each layer as it happens.",
            "ko": "나선 데이터에 너무 큰 학습률(SGD 3), 16개 뉴런의 은닉층 2개: 큰 업데이트 한 "
            "번이 ReLU를 모든 점에서 0 아래로 밀어내면 그 뒤로 gradient를 받지 못해 다시는 "
            "학습하지 못합니다(노트: 네트워크의 최대 40 %가 죽을 수 있음). 행: 초기 편향 0과 "
            "0.01(초기화 때문에 죽은 뉴런에 대한 노트의 처방), 열: ReLU와 죽지 않는 Leaky ReLU. "
            "각 패널의 표시와 아래 차트가 층마다 죽은 비율을 실시간으로 보여 줍니다.",
        },
        {
            "base": DEAD_BASE,
            "rows": {"axis": "bias_init", "values": [0, 0.01]},
            "columns": {"axis": "activation", "values": ["relu", "leaky_relu"]},
        },
        steps=500,
        steps_per_frame=10,
        reads="inactive",
    ),
]
