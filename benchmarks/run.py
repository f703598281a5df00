"""Run every benchmark in this folder and print its figures (`make benchmark`)."""

import importlib
import pkgutil
from pathlib import Path


def main():
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name == "run" or module.name.startswith("_"):
            continue
        print(f"== {module.name}")
        importlib.import_module(f"benchmarks.{module.name}").main()


if __name__ == "__main__":
    main()
