"""Run every benchmark in this folder and print its figures (`make benchmark`).

Each runs in a process of its own: Django is set up once per process, and an in-memory SQLite
test database would otherwise carry one benchmark's data into the next.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path


def main():
    failed = []
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name == "run" or module.name.startswith("_"):
            continue
        print(f"== {module.name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{module.name}"], check=False).returncode:
            failed.append(module.name)
    if failed:
        sys.exit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
