"""Parameter updates on the network's flat buffers: ``step(theta, grad) -> delta``.

Each optimizer writes the update into its own ``delta`` buffer and returns it; the caller adds
it to theta (so the update/weight ratio can be measured first). Hyper-parameters are plain
attributes that may change between steps; ``state`` holds what save/restore must keep.
"""

import numpy as np


class SGD:
    name = "sgd"

    def __init__(self, size, dtype, learning_rate=1e-2, **_):
        self.learning_rate = learning_rate
        self.delta = np.zeros(size, dtype)
        self.state = {}

    def step(self, grad):
        return np.multiply(grad, -self.learning_rate, out=self.delta)


class Momentum(SGD):
    """v = momentum·v - learning_rate·grad; theta += v."""

    name = "momentum"

    def __init__(self, size, dtype, learning_rate=1e-2, momentum=0.9, **_):
        super().__init__(size, dtype, learning_rate)
        self.momentum = momentum
        self.state = {"velocity": np.zeros(size, dtype)}

    def step(self, grad):
        v = self.state["velocity"]
        v *= self.momentum
        v -= self.learning_rate * grad
        self.delta[...] = v
        return self.delta


class Adam(SGD):
    """Adam with bias correction (Kingma & Ba)."""

    name = "adam"

    def __init__(self, size, dtype, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, **_):
        super().__init__(size, dtype, learning_rate)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.state = {"m": np.zeros(size, dtype), "v": np.zeros(size, dtype), "t": np.zeros(1)}

    def step(self, grad):
        m, v, t = self.state["m"], self.state["v"], self.state["t"]
        t += 1
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        m_hat_scale = self.learning_rate / (1 - self.beta1 ** t[0])
        np.sqrt(v / (1 - self.beta2 ** t[0]), out=self.delta)
        self.delta += self.eps
        np.divide(m, self.delta, out=self.delta)
        self.delta *= -m_hat_scale
        return self.delta


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name, size, dtype, **hyper):
    return OPTIMIZERS[name](size, dtype, **hyper)
