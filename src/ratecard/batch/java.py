"""Whether Spark can start: it runs on a JVM and needs Java 17 or later.

Checked before a SparkSession is asked for, so a missing or old Java is one line saying
what to install, not the JVM launcher's output and a Py4J stack.

>>> java_major('openjdk version "17.0.15" 2025-04-15'), java_major('java version "1.8.0_392"')
(17, 8)
>>> java_major("no version here") is None
True
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ratecard.errors import RatecardError

MINIMUM = 17
"""The oldest Java that Spark (PySpark 3.5 and 4) runs on here."""

INSTALL = ("install a Java runtime 17 or later (e.g. apt-get install openjdk-17-jre-headless, "
           "or brew install openjdk@17) and put `java` on PATH or set JAVA_HOME")


def java_major(version_text: str) -> int | None:
    """The major version in ``java -version``'s output (``1.8`` is 8)."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if found is None:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2) is not None:
        return int(found.group(2))
    return major


def java_command() -> str | None:
    """The ``java`` Spark would run: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def require_java() -> None:
    """Raise a one-line :class:`~ratecard.errors.RatecardError` unless Java 17+ is there."""
    java = java_command()
    if java is None:
        where = "JAVA_HOME/bin/java" if os.environ.get("JAVA_HOME") else "`java` on PATH"
        raise RatecardError(f"--engine spark needs Java {MINIMUM} or later, and there is no "
                            f"{where}: {INSTALL}")
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60,
                               check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RatecardError(f"--engine spark needs Java {MINIMUM} or later; {java} does not "
                            f"run ({exc}): {INSTALL}") from None
    major = java_major(shown.stderr + shown.stdout)
    if major is None or major < MINIMUM:
        found = "an unknown version" if major is None else f"Java {major}"
        raise RatecardError(f"--engine spark needs Java {MINIMUM} or later; {java} is "
                            f"{found}: {INSTALL}")
