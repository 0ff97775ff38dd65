"""Counter: the domain of a service-counter assistant. Imports no Qt, ever."""

__version__ = "0.1.0"
