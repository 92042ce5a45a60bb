"""Boundary Lab: train a small neural network on 2-D data and watch its decision regions."""

__version__ = "0.1.0"
