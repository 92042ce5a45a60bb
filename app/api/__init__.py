"""The HTTP layer: schemas, dependencies and one router per resource. Routes are thin."""
